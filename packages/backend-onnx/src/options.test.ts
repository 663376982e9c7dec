import { describe, expect, it } from 'vitest';
import { UsageError, type LossBackendOptions } from '@pretrain/backend-sdk';
import { parseOnnxOptions } from './options.js';

describe('parseOnnxOptions', () => {
  it('defaults to the CPU and onnxruntime’s thread count', () => {
    expect(parseOnnxOptions({})).toEqual({ device: 'cpu', threads: undefined });
    expect(parseOnnxOptions({ device: 'cuda', threads: 2 })).toEqual({ device: 'cuda', threads: 2 });
    // What `--backend-option threads=2` gives: a string, turned into the declared integer.
    expect(parseOnnxOptions({ threads: '2' })).toEqual({ device: 'cpu', threads: 2 });
  });

  it.each<[LossBackendOptions, RegExp]>([
    [{ tfjsBackend: 'wasm' }, /^backend onnx has no option "tfjsBackend"$/],
    [
      { device: 'gpu' } as unknown as LossBackendOptions,
      /"device" of backend onnx: expected cpu\|cuda, got "gpu"/,
    ],
    [{ threads: 0 }, /"threads" of backend onnx: expected integer 1\.\.1024, got 0/],
    [{ threads: 1.5 }, /"threads" of backend onnx: expected integer 1\.\.1024, got 1.5/],
  ])('rejects %j', (options, message) => {
    expect(() => parseOnnxOptions(options)).toThrow(UsageError);
    expect(() => parseOnnxOptions(options)).toThrow(message);
  });
});
