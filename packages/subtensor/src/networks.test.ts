import { UsageError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { DEVNET_DEFAULT_PORT, resolveNetwork } from './networks.js';

describe('resolveNetwork', () => {
  it('maps the named networks to their endpoints', () => {
    expect(resolveNetwork('finney')).toBe('wss://entrypoint-finney.opentensor.ai:443');
    expect(resolveNetwork('test')).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveNetwork('archive')).toBe('wss://archive.chain.opentensor.ai:443');
    expect(resolveNetwork('local')).toBe('ws://127.0.0.1:9944');
    expect(resolveNetwork('DEVNET')).toBe(`ws://127.0.0.1:${DEVNET_DEFAULT_PORT}`);
  });

  it('accepts ws:// and wss:// URLs and refuses anything else with a UsageError', () => {
    expect(resolveNetwork('ws://10.0.0.2:9946')).toBe('ws://10.0.0.2:9946');
    expect(resolveNetwork('wss://node.example.org/')).toBe('wss://node.example.org');
    for (const bad of ['mainnet', 'http://127.0.0.1:9944', '']) {
      expect(() => resolveNetwork(bad)).toThrow(UsageError);
    }
    expect(() => resolveNetwork('mainnet')).toThrow(/unknown network 'mainnet'/);
  });
});

describe('resolveNetwork with prototype names', () => {
  it('calls them unknown networks', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => resolveNetwork(name), name).toThrow(/unknown network/);
    }
  });
});
