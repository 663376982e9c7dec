import { describe, expect, it } from 'vitest';
import { alibiBias, alibiSlopes, alibiTable, bf16Round } from './alibi.js';

// Expected values printed by torch 1.13 running `falcon_alibi` of tools/reference_loss.py (the project's PyTorch oracle)
// (transformers 4.41's build_alibi_tensor): slopes = alibi[:, 0, 1], products at positions 299, 257.
const TORCH_SLOPES_12 = [
  0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625, 0.70703125, 0.353515625, 0.1767578125,
  0.08837890625,
];
const TORCH_SLOPES_71_HEAD = [0.91796875, 0.83984375, 0.76953125, 0.70703125, 0.6484375, 0.59375];
const TORCH_SLOPES_71_TAIL = [
  0.95703125, 0.87890625, 0.8046875, 0.73828125, 0.67578125, 0.62109375, 0.5703125,
];

describe('ALiBi as Falcon computes it', () => {
  it('rounds to bfloat16 to nearest, ties to even', () => {
    expect(bf16Round(1)).toBe(1);
    expect(bf16Round(257)).toBe(256); // 257 = 256 + half an ulp: tie to even
    expect(bf16Round(259)).toBe(260); // 259 = 258 + half an ulp: tie to even (260)
    expect(bf16Round(0.70710677)).toBe(0.70703125);
    expect(bf16Round(-3.0078125)).toBe(-3);
    expect(bf16Round(Infinity)).toBe(Infinity);
    expect(bf16Round(Number.NaN)).toBeNaN();
  });

  it('gives the reference slopes: a power-of-two series, then the extra heads (bf16)', () => {
    expect(alibiSlopes(12)).toEqual(TORCH_SLOPES_12);
    expect(alibiSlopes(10)).toEqual(TORCH_SLOPES_12.slice(0, 10));
    const slopes71 = alibiSlopes(71);
    expect(slopes71).toHaveLength(71);
    expect(slopes71.slice(0, 6)).toEqual(TORCH_SLOPES_71_HEAD);
    expect(slopes71.slice(64)).toEqual(TORCH_SLOPES_71_TAIL);
  });

  it('rounds each position and each product to bf16, as torch does', () => {
    const [first] = alibiSlopes(71) as [number];
    expect(alibiBias(first, 299)).toBe(276); // not 0.91796875 × 299 = 274.47…
    expect(alibiBias(first, 257)).toBe(235);
    expect(alibiBias(alibiSlopes(10)[9] as number, 299)).toBe(106);
    const table = alibiTable(alibiSlopes(12), 300);
    expect(table[299]).toBe(150);
    expect(table[11 * 300 + 299]).toBe(26.5);
    expect(table[11 * 300]).toBe(0);
  });
});
