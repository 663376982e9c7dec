import { describe, expect, it } from 'vitest';
import { UsageError, type LossBackendOptions } from '@pretrain/core';
import { parseOnnxOptions } from './options.js';

describe('parseOnnxOptions', () => {
  it('defaults to the CPU and onnxruntime’s thread count', () => {
    expect(parseOnnxOptions({})).toEqual({ device: 'cpu', threads: undefined });
    expect(parseOnnxOptions({ device: 'cuda', threads: 2 })).toEqual({ device: 'cuda', threads: 2 });
  });

  it.each<[LossBackendOptions, RegExp]>([
    [{ tfjsBackend: 'wasm' }, /unknown option "tfjsBackend"/],
    [{ device: 'gpu' } as unknown as LossBackendOptions, /device "gpu"/],
    [{ threads: 0 }, /threads must be/],
    [{ threads: 1.5 }, /threads must be/],
  ])('rejects %j', (options, message) => {
    expect(() => parseOnnxOptions(options)).toThrow(UsageError);
    expect(() => parseOnnxOptions(options)).toThrow(message);
  });
});
