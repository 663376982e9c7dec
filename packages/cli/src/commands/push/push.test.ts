import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';
import { downloadCommand } from '../download/index.js';
import { pushCommand } from './index.js';

const commands = [pushCommand, downloadCommand];
const run = (argv: string[]) => runCli(argv, { commands, cwd: '/tmp' });

describe('push and download: input checks before any connection', () => {
  it('push to the hub needs a token', async () => {
    const result = await run(['push', '--model-dir', 'm', '--repo', 'a/b', '--wallet', 'w', '--hotkey', 'h']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs an access token/);
    expect(result.stderr).toMatch(/PRETRAIN_HF_TOKEN/);
  });

  it('push refuses a --model-store that names no installed plugin, saying what it looked for', async () => {
    const result = await run(['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 's3://x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot load store "s3"/);
    expect(result.stderr).toMatch(/hint: install it in this project: npm install pretrain-store-s3/);
  });

  it('push refuses options the store plugin does not declare', async () => {
    const argv = ['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 'dir:store'];
    const result = await run([...argv, '--model-store-option', 'colour=red']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/store dir has no option "colour"/);
  });

  it('push needs a wallet and a hotkey', async () => {
    const result = await run(['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 'dir:store']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no wallet or hotkey is set/);
  });

  it('push reports a missing wallet file with its path', async () => {
    const result = await run([
      'push',
      '--model-dir',
      'm',
      '--repo',
      'a/b',
      '--model-store',
      'dir:store',
      '--wallet',
      'nowallet',
      '--hotkey',
      'h',
      '--wallet-path',
      '/tmp/no-such-wallets',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-wallets/);
  });

  it('push names --wallet-path when it is a file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'pretrain-push-wallets-')), 'file');
    await writeFile(file, 'x');
    const argv = ['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 'dir:store'];
    const result = await run([...argv, '--wallet', 'w', '--hotkey', 'h', '--wallet-path', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('hint: --wallet-path must name the wallets directory');
  });

  it('push decrypts an encrypted hotkey with PRETRAIN_WALLET_PASSWORD or a prompt, as the hint says', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-push-wallets-'));
    await mkdir(join(root, 'w', 'hotkeys'), { recursive: true });
    // Only the $NACL prefix matters here: the password is asked for before decrypting.
    await writeFile(
      join(root, 'w', 'hotkeys', 'h'),
      Buffer.concat([Buffer.from('$NACL'), Buffer.alloc(64, 1)]),
    );
    const argv = ['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 'dir:store'];
    const result = await run([...argv, '--wallet', 'w', '--hotkey', 'h', '--wallet-path', root]);
    if (process.stdin.isTTY) return; // a terminal would prompt instead
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PRETRAIN_WALLET_PASSWORD is not set');
  });

  it('download needs exactly one of --uid and --hotkey', async () => {
    const none = await run(['download', '--dir', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--uid <n> or --hotkey <ss58>/);
    const both = await run(['download', '--dir', 'x', '--uid', '1', '--hotkey', '5F']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/mutually exclusive|conflict/i);
  });

  it('download checks --uid and --dir before connecting', async () => {
    // No network is reachable here: an error about the flags proves no connection was tried first.
    const network = ['--network', 'ws://127.0.0.1:9'];
    const negative = await run(['download', '--dir', 'fresh-x', '--uid', '-1', ...network]);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/--uid -1 is not a uid/);
    const fraction = await run(['download', '--dir', 'fresh-x', '--uid', '1.5', ...network]);
    expect(fraction.stderr).toMatch(/--uid 1\.5 is not a uid/);
    const existing = await run(['download', '--dir', '/tmp', '--uid', '1', ...network]);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toMatch(/destination '\/tmp' exists already/);
  });

  it('download refuses a --hotkey that is not an SS58 address before connecting', async () => {
    const result = await run(['download', '--dir', 'x', '--hotkey', 'my-hotkey']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--hotkey "my-hotkey" is not an SS58 address/);
    expect(result.stderr).toMatch(/hint: pass the hotkey address/);
  });
});
