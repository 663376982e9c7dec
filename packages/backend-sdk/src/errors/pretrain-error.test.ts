import { describe, expect, it } from 'vitest';
import {
  BackendNotFoundError,
  ChainError,
  CorruptModelError,
  DatasetError,
  ModelRejectedError,
  ModelStoreError,
  PluginContractError,
  TimeoutError,
  UnsupportedModelError,
  UsageError,
  WalletError,
} from './domain-errors.js';
import { PretrainError, isPretrainError } from './pretrain-error.js';

const hint = { hint: 'do this' };

/** Each subclass with the stable code callers and scripts match on. */
const cases: [PretrainError, string, string][] = [
  [new UsageError('m', hint), 'UsageError', 'PRETRAIN_USAGE'],
  [new BackendNotFoundError('m', [], hint), 'BackendNotFoundError', 'PRETRAIN_BACKEND_NOT_FOUND'],
  [new PluginContractError('m', hint), 'PluginContractError', 'PRETRAIN_PLUGIN_CONTRACT'],
  [new UnsupportedModelError('m', hint), 'UnsupportedModelError', 'PRETRAIN_UNSUPPORTED_MODEL'],
  [new CorruptModelError('m', hint), 'CorruptModelError', 'PRETRAIN_CORRUPT_MODEL'],
  [new ModelRejectedError('oversize', 'm', hint), 'ModelRejectedError', 'PRETRAIN_MODEL_REJECTED'],
  [new ChainError('m', hint), 'ChainError', 'PRETRAIN_CHAIN'],
  [new ModelStoreError('m', hint), 'ModelStoreError', 'PRETRAIN_MODEL_STORE'],
  [new DatasetError('m', hint), 'DatasetError', 'PRETRAIN_DATASET'],
  [new WalletError('m', hint), 'WalletError', 'PRETRAIN_WALLET'],
  [new TimeoutError('m', hint), 'TimeoutError', 'PRETRAIN_TIMEOUT'],
];

describe('PretrainError hierarchy', () => {
  it.each(cases)('%o is a PretrainError with name, code and hint', (error, name, code) => {
    expect(error).toBeInstanceOf(PretrainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.hint).toBe('do this');
    expect(error.message).toBe('m');
    expect(isPretrainError(error)).toBe(true);
  });

  it('gives every subclass its own code', () => {
    expect(new Set(cases.map(([, , code]) => code)).size).toBe(cases.length);
  });

  it('keeps the cause and leaves hint undefined when none is given', () => {
    const cause = new Error('low level');
    const error = new UsageError('bad flag', { cause });
    expect(error.cause).toBe(cause);
    expect(error.hint).toBeUndefined();
    expect('cause' in new UsageError('no cause')).toBe(false);
  });

  it('carries the domain fields of the subclasses', () => {
    const tried = [{ specifier: '@pretrain/backend-x', reason: 'not installed' }];
    expect(new BackendNotFoundError('m', tried).tried).toEqual(tried);
    expect(new ModelRejectedError('hash-mismatch', 'm').reason).toBe('hash-mismatch');
    const chain = new ChainError('m', { chainError: 'commitments.TooManyFields', retryAtBlock: 120 });
    expect([chain.chainError, chain.retryAtBlock]).toEqual(['commitments.TooManyFields', 120]);
  });

  it('recognises a PretrainError from a duplicated module copy, and nothing else', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      code: 'PRETRAIN_USAGE',
      hint: undefined,
    });
    expect(isPretrainError(foreign)).toBe(true);
    expect(isPretrainError(Object.assign(new Error('node'), { code: 'ENOENT' }))).toBe(false);
    expect(isPretrainError(new Error('plain'))).toBe(false);
    expect(isPretrainError({ code: 'PRETRAIN_USAGE', hint: 'x' })).toBe(false);
    expect(isPretrainError(undefined)).toBe(false);
  });
});
