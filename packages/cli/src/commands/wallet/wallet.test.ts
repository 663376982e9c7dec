import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadColdkey, loadHotkey } from '@pretrain/subtensor';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

describe('pretrain wallet', () => {
  it('creates a wallet that loads back and lists it, printing no secret', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-cli-wallets-'));
    const created = await runCli([
      'wallet',
      'create',
      '--name',
      'miner',
      '--hotkey',
      'hk',
      '--wallet-path',
      root,
      '--json',
    ]);
    expect(created.code).toBe(0);
    const info = JSON.parse(created.stdout);
    expect((await loadHotkey({ wallet: 'miner', hotkey: 'hk', path: root })).address).toBe(
      info.hotkeyAddress,
    );
    expect((await loadColdkey({ wallet: 'miner', path: root })).address).toBe(info.coldkeyAddress);
    expect(created.stdout).not.toMatch(/secret|privateKey/i);
    expect((await stat(join(root, 'miner', 'hotkeys', 'hk'))).mode & 0o777).toBe(0o600);

    const listed = await runCli(['wallet', 'list', '--wallet-path', root]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`miner  coldkey ${info.coldkeyAddress}`);
    expect(listed.stdout).toContain(`hk  ${info.hotkeyAddress}`);

    const again = await runCli([
      'wallet',
      'create',
      '--name',
      'miner',
      '--hotkey',
      'hk',
      '--wallet-path',
      root,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('hotkey file already exists');
  });

  it('asks for the password variable when --encrypt has no password and no terminal', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-cli-wallets-'));
    const run = await runCli([
      'wallet',
      'create',
      '--name',
      'w',
      '--encrypt',
      '--password-env',
      'MY_PW',
      '--wallet-path',
      root,
    ]);
    if (process.stdin.isTTY) return; // a terminal would prompt instead
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MY_PW is not set');
  });
});
