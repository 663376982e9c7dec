import { describe, expect, it } from 'vitest';
import { parseTfjsOptions } from './options.js';

describe('parseTfjsOptions', () => {
  it('accepts the common options and a forced runtime', () => {
    expect(parseTfjsOptions({}, '/w')).toEqual({
      device: undefined,
      threads: undefined,
      tfjsBackend: undefined,
      cwd: '/w',
    });
    expect(parseTfjsOptions({ device: 'cpu', threads: 2, tfjsBackend: 'wasm', cwd: '/x' }, '/w')).toEqual({
      device: 'cpu',
      threads: 2,
      tfjsBackend: 'wasm',
      cwd: '/x',
    });
  });

  it('rejects unknown options, bad values and a runtime that contradicts the device', () => {
    expect(() => parseTfjsOptions({ fast: true }, '/w')).toThrow(/unknown option "fast" for backend tfjs/);
    expect(() => parseTfjsOptions({ device: 'tpu' as 'cpu' }, '/w')).toThrow(/device "tpu"/);
    expect(() => parseTfjsOptions({ threads: 0 }, '/w')).toThrow(/threads/);
    expect(() => parseTfjsOptions({ tfjsBackend: 'webgl' }, '/w')).toThrow(/"webgl" is not a tfjs runtime/);
    expect(() => parseTfjsOptions({ tfjsBackend: 'wasm', device: 'cuda' }, '/w')).toThrow(
      /"wasm" does not run on device "cuda"/,
    );
    expect(() => parseTfjsOptions({ tfjsBackend: 'tfjs-node-gpu', device: 'cpu' }, '/w')).toThrow(
      /device "cpu"/,
    );
  });
});
