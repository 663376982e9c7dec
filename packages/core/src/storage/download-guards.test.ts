import { describe, expect, it } from 'vitest';
import { saltHash } from '../model/model-hash.js';
import {
  checkRepoListing,
  classifyModelFile,
  repoNameProblem,
  repoPathProblem,
  verifyModelHash,
} from './download-guards.js';

describe('download guards', () => {
  it('accepts plain relative names and refuses absolute, traversal and odd ones', () => {
    for (const ok of [
      'config.json',
      'sub/dir/model-00001-of-00002.safetensors',
      '.gitattributes',
      'a b.json',
    ]) {
      expect(repoPathProblem(ok)).toBeUndefined();
    }
    const bad = [
      '',
      '/etc/passwd',
      'C:/x',
      '../x',
      'a/../../x',
      'a/./b',
      'a//b',
      'a/',
      'a\\b',
      'a\u0000b',
      'x\nconfig.json',
      '.git/config',
      ' lead.json',
      'c:stream',
      'q?.json',
      'h#.json',
      '%2e%2e/x',
    ];
    for (const name of bad) expect(repoPathProblem(name), name).toBeDefined();
  });

  it('classifies model files by name', () => {
    expect(classifyModelFile('a/model.safetensors')).toBe('safetensors');
    expect(classifyModelFile('tokenizer_config.json')).toBe('json');
    expect(classifyModelFile('merges.txt')).toBe('tokenizer');
    expect(classifyModelFile('pytorch_model.bin')).toBe('pickle');
    expect(classifyModelFile('training_args.pt')).toBe('pickle');
    expect(classifyModelFile('README.md')).toBe('other');
  });

  it('checks a listing: sizes add up to the limit, pickles left out, pickle-only refused', () => {
    const listing = checkRepoListing(
      'a/b',
      [
        { path: 'z.safetensors', size: 60 },
        { path: 'config.json', size: 20 },
        { path: 'optimizer.pt', size: 20 },
      ],
      100,
    );
    expect(listing.totalBytes).toBe(100);
    expect(listing.files.map((f) => f.path)).toEqual(['config.json', 'z.safetensors']);
    expect(() => checkRepoListing('a/b', [{ path: 'z.safetensors', size: 101 }], 100)).toThrow(
      /101 bytes.*limit of 100/,
    );
    expect(() => checkRepoListing('a/b', [{ path: 'pytorch_model.bin', size: 1 }], 100)).toThrow(
      expect.objectContaining({ reason: 'pickle-only' }),
    );
    expect(() => checkRepoListing('a/b', [{ path: 'w.safetensors', size: -1 }], 100)).toThrow(
      expect.objectContaining({ reason: 'bad-path' }),
    );
  });

  it('verifies plain and salted hashes and quotes both values on a mismatch', () => {
    const hash = 'A'.repeat(43) + '=';
    expect(() => verifyModelHash('a/b@c', hash, hash)).not.toThrow();
    expect(() => verifyModelHash('a/b@c', saltHash(hash, 'hk'), hash, 'hk')).not.toThrow();
    expect(() => verifyModelHash('a/b@c', undefined, hash)).not.toThrow();
    const wrong = 'B'.repeat(43) + '=';
    expect(() => verifyModelHash('a/b@c', wrong, hash, 'hk')).toThrow(
      expect.objectContaining({
        reason: 'hash-mismatch',
        message: expect.stringMatching(new RegExp(`${hash}.*${wrong}`)),
      }),
    );
  });

  it('accepts hub-style repo names only', () => {
    expect(repoNameProblem({ namespace: 'my-user', name: 'model_v1.2' })).toBeUndefined();
    for (const part of ['..', '.hidden', 'a..b', 'a/b', '', 'x'.repeat(97)]) {
      expect(repoNameProblem({ namespace: 'ok', name: part }), part).toBeDefined();
    }
  });
});
