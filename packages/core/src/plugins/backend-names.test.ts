import { describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/backend-sdk';
import { isBackendPath } from '@pretrain/backend-sdk';
import { resolveBackendCandidates } from './backend-names.js';

describe('resolveBackendCandidates', () => {
  it.each([
    ['onnx', '@pretrain/backend-onnx'],
    ['tfjs', '@pretrain/backend-tfjs'],
    ['native', '@pretrain/backend-native'],
    ['foo', 'pretrain-backend-foo'],
    ['@acme', '@acme/pretrain-backend'],
    ['@acme/foo', '@acme/pretrain-backend-foo'],
    ['./x.js', './x.js'],
    ['../plugins/x.js', '../plugins/x.js'],
    ['/abs/x.js', '/abs/x.js'],
    ['file:///abs/x.js', 'file:///abs/x.js'],
    // Full package names stand for themselves instead of doubling the prefix.
    ['pretrain-backend-foo', 'pretrain-backend-foo'],
    ['@acme/pretrain-backend', '@acme/pretrain-backend'],
    ['@acme/pretrain-backend-foo', '@acme/pretrain-backend-foo'],
    ['@pretrain/backend-onnx', '@pretrain/backend-onnx'],
  ])('maps %s to %s', (name, expected) => {
    expect(resolveBackendCandidates(name)).toEqual([expected]);
  });

  it.each(['', '  ', 'Foo', 'a b', '@', '@acme/', '@acme/foo/bar', '@/foo', 'foo$'])(
    'rejects the malformed name %j with a UsageError quoting it',
    (name) => {
      expect(() => resolveBackendCandidates(name)).toThrow(UsageError);
      if (name.trim() !== '') expect(() => resolveBackendCandidates(name)).toThrow(JSON.stringify(name));
    },
  );

  it('tells paths from names', () => {
    expect(isBackendPath('./x.js')).toBe(true);
    expect(isBackendPath('.')).toBe(true);
    expect(isBackendPath('x.js')).toBe(false);
    expect(isBackendPath('@acme/x')).toBe(false);
  });
});
