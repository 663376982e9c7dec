import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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

  it('keeps a coldkey that lacks coldkeypub.txt unless --overwrite (confirmed, or --no-prompt)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-cli-wallets-'));
    const create = (hotkey: string, ...extra: string[]) =>
      runCli(['wallet', 'create', '--name', 'w', '--hotkey', hotkey, '--wallet-path', root, ...extra]);
    expect((await create('h')).code).toBe(0);
    await rm(join(root, 'w', 'coldkeypub.txt'));
    const coldkey = await readFile(join(root, 'w', 'coldkey'));

    const refused = await create('h2');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('has a coldkey but no coldkeypub.txt');
    expect(refused.stderr).toContain('--overwrite');
    if (!process.stdin.isTTY) {
      const unanswered = await create('h2', '--overwrite');
      expect(unanswered.code).toBe(2);
      expect(unanswered.stderr).toContain('--no-prompt');
    }
    expect(await readFile(join(root, 'w', 'coldkey'))).toEqual(coldkey);

    const replaced = await create('h2', '--overwrite', '--no-prompt');
    expect(replaced.code).toBe(0);
    expect(await readFile(join(root, 'w', 'coldkey'))).not.toEqual(coldkey);
  });

  it('lists a corrupt coldkeypub.txt as corrupt, not as missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-cli-wallets-'));
    expect((await runCli(['wallet', 'create', '--name', 'w', '--wallet-path', root])).code).toBe(0);
    await writeFile(join(root, 'w', 'coldkeypub.txt'), 'not json');
    const listed = await runCli(['wallet', 'list', '--wallet-path', root]);
    expect(listed.stdout).toContain('w  coldkey (coldkeypub.txt is corrupt)');
    // An address field is text from a file: shown escaped.
    await writeFile(join(root, 'w', 'hotkeys', 'default'), JSON.stringify({ ss58Address: '5X\u001b[2J' }));
    const hostile = await runCli(['wallet', 'list', '--wallet-path', root]);
    expect(hostile.stdout).toContain('  default  5X\\x1b[2J\n');
  });

  it('reports a --wallet-path that is a file with a hint (exit 2)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-cli-wallets-'));
    await writeFile(join(root, 'file'), 'x');
    const run = await runCli(['wallet', 'create', '--name', 'w', '--wallet-path', join(root, 'file')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: --wallet-path must name a writable directory');
  });
});
