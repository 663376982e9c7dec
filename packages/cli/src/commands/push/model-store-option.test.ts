import { describe, expect, it } from 'vitest';
import { DirectoryModelStore, UsageError } from '@pretrain/core';
import { HubModelStore } from '@pretrain/huggingface';
import { createModelStore, parseModelStoreOption } from './model-store-option.js';

describe('--model-store', () => {
  it('reads hf, hf:<url> (a hub-compatible server) and dir:<path>', () => {
    expect(parseModelStoreOption('hf', '/w')).toEqual({ kind: 'hf' });
    expect(parseModelStoreOption('hf:http://127.0.0.1:8080', '/w')).toEqual({
      kind: 'hf',
      hubUrl: 'http://127.0.0.1:8080',
    });
    expect(parseModelStoreOption('dir:store', '/w')).toEqual({ kind: 'dir', path: '/w/store' });
    for (const bad of ['hf:', 'hf:ftp://x', 'hf:http://a b', 's3://x'])
      expect(() => parseModelStoreOption(bad, '/w')).toThrow(UsageError);
  });

  it('points the hub store at the chosen server', () => {
    const hub = createModelStore({ kind: 'hf', hubUrl: 'http://127.0.0.1:8080/' }, undefined);
    expect(hub).toBeInstanceOf(HubModelStore);
    expect((hub as HubModelStore).hubUrl).toBe('http://127.0.0.1:8080');
    expect((createModelStore({ kind: 'hf' }, undefined) as HubModelStore).hubUrl).toBe(
      'https://huggingface.co',
    );
    expect(createModelStore({ kind: 'dir', path: '/w/s' }, undefined)).toBeInstanceOf(DirectoryModelStore);
  });
});
