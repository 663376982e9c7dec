import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@pretrain/conformance';
import { describe, expect, it } from 'vitest';
import { adamwUpdate } from './adamw.js';
import { GradientStore } from './gradient-store.js';

/** Made by torch.optim.AdamW (foreach=False); the script and its provenance are in test/fixtures/GOLDENS.md. */
interface AdamWGolden {
  readonly cases: {
    readonly lr: number;
    readonly weight_decay: number;
    readonly betas: [number, number];
    readonly eps: number;
    readonly clip: number;
    readonly param: number[];
    readonly steps: { grad: number[]; param: number[]; exp_avg: number[]; exp_avg_sq: number[] }[];
  }[];
}
const golden = JSON.parse(readFileSync(join(FIXTURES_DIR, 'adamw-steps.json'), 'utf8')) as AdamWGolden;

describe('adamwUpdate (host float32)', () => {
  it.each(golden.cases.map((c, i) => [i, c] as const))(
    'case %i: 3 steps equal torch.optim.AdamW bit for bit (parameter and both moments)',
    (_, c) => {
      const p = Float32Array.from(c.param);
      const m = new Float32Array(p.length);
      const v = new Float32Array(p.length);
      const settings = { lr: c.lr, weightDecay: c.weight_decay, betas: c.betas, eps: c.eps };
      c.steps.forEach((s, i) => {
        adamwUpdate(p, Float32Array.from(s.grad), m, v, i + 1, c.lr, settings, c.clip);
        expect(p).toEqual(Float32Array.from(s.param));
        expect(m).toEqual(Float32Array.from(s.exp_avg));
        expect(v).toEqual(Float32Array.from(s.exp_avg_sq));
      });
    },
  );
});

describe('GradientStore', () => {
  it('adds contributions in float32 at their offsets and leaves untouched parameters without a gradient', () => {
    const store = new GradientStore(
      new Map([
        ['a', 4],
        ['b', 2],
      ]),
    );
    store.add('a', Float32Array.from([1, 2]), 2);
    store.add('a', Float32Array.from([0.1, 0.2, 0.3, 2 ** -30]));
    expect(store.get('a')).toEqual(Float32Array.from([0.1, 0.2, Math.fround(0.3) + 1, 2]));
    expect(store.get('b')).toBeUndefined();
    expect(store.norm()).toBeCloseTo(Math.hypot(0.1, 0.2, Math.fround(Math.fround(0.3) + 1), 2), 6);
    expect(() => store.add('a', Float32Array.from([1]), 4)).toThrow(RangeError);
    expect(() => store.add('c', Float32Array.from([1]))).toThrow(RangeError);
  });
});
