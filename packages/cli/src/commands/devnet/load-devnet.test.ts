import { UsageError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { importOptional, loadDevnet } from './load-devnet.js';

describe('loadDevnet', () => {
  it('loads @pretrain/devnet where it is installed', async () => {
    expect(typeof (await loadDevnet()).startDevnet).toBe('function');
  });

  it('says how to install a missing optional package', async () => {
    const name = '@pretrain/not-installed-here';
    const error = await importOptional(name, 'the local devnet', () => import(name)).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`the local devnet needs ${name}, which is not installed`);
    expect(error.hint).toContain(`npm install ${name}`);
  });

  it('passes on other failures of the package', async () => {
    const broken = new Error('boom');
    await expect(importOptional('@pretrain/devnet', 'x', () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
