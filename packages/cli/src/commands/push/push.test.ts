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

  it('push refuses an unknown --model-store', async () => {
    const result = await run(['push', '--model-dir', 'm', '--repo', 'a/b', '--model-store', 's3://x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"s3:\/\/x" is neither hf nor dir:<path>/);
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

  it('download needs exactly one of --uid and --hotkey', async () => {
    const none = await run(['download', '--dir', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--uid <n> or --hotkey <ss58>/);
    const both = await run(['download', '--dir', 'x', '--uid', '1', '--hotkey', '5F']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/mutually exclusive|conflict/i);
  });

  it('download refuses a --hotkey that is not an SS58 address before connecting', async () => {
    const result = await run(['download', '--dir', 'x', '--hotkey', 'my-hotkey']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--hotkey "my-hotkey" is not an SS58 address/);
    expect(result.stderr).toMatch(/hint: pass the hotkey address/);
  });
});
