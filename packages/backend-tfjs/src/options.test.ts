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

  it('takes the runtime as `runtime`, or by its old name `tfjsBackend`', () => {
    expect(parseTfjsOptions({ runtime: 'wasm' }, '/w').tfjsBackend).toBe('wasm');
    expect(parseTfjsOptions({ runtime: 'cpu', tfjsBackend: 'cpu' }, '/w').tfjsBackend).toBe('cpu');
  });

  it('rejects unknown options, bad values and a runtime that contradicts the device', () => {
    expect(() => parseTfjsOptions({ fast: true }, '/w')).toThrow(/^backend tfjs has no option "fast"$/);
    expect(() => parseTfjsOptions({ device: 'tpu' as 'cpu' }, '/w')).toThrow(
      /"device" of backend tfjs: expected cpu\|cuda, got "tpu"/,
    );
    expect(() => parseTfjsOptions({ threads: 0 }, '/w')).toThrow(/threads/);
    expect(() => parseTfjsOptions({ runtime: 'webgl' }, '/w')).toThrow(
      /"runtime" of backend tfjs: expected tfjs-node-gpu\|tfjs-node\|wasm\|cpu, got "webgl"/,
    );
    expect(() => parseTfjsOptions({ runtime: 'wasm', tfjsBackend: 'cpu' }, '/w')).toThrow(
      /got runtime "wasm" and tfjsBackend "cpu"/,
    );
    expect(() => parseTfjsOptions({ tfjsBackend: 'wasm', device: 'cuda' }, '/w')).toThrow(
      /"wasm" does not run on device "cuda"/,
    );
    expect(() => parseTfjsOptions({ tfjsBackend: 'tfjs-node-gpu', device: 'cpu' }, '/w')).toThrow(
      /device "cpu"/,
    );
  });
});
