import { createWallet } from '@pretrain/subtensor';
import { writeJson } from '../../output/index.js';
import { defineCommand } from '../cli-command.js';
import { confirm, DEFAULT_PASSWORD_ENV, readPassword } from './password.js';

/** `pretrain wallet create --name <w> --hotkey <h> [--encrypt]`. */
export const walletCreateCommand = defineCommand({
  command: 'create',
  describe: 'Create a wallet (coldkey + hotkey) in btcli format; an existing coldkey is kept',
  epilogue:
    'Meant for development: without --encrypt the coldkey is stored unencrypted (like btcli --no-use-password).\n' +
    'Keyfiles are written with mode 0600; no secret is printed. No existing keyfile is replaced without --overwrite.',
  builder: (yargs) =>
    yargs
      .option('name', { type: 'string', demandOption: true, describe: 'wallet (coldkey) name' })
      .option('hotkey', { type: 'string', default: 'default', describe: 'hotkey name' })
      .option('wallet-path', { type: 'string', describe: 'wallets directory (default ~/.bittensor/wallets)' })
      .option('encrypt', {
        type: 'boolean',
        default: false,
        describe: 'encrypt the coldkey ($NACL, as btcli)',
      })
      .option('password-env', {
        type: 'string',
        default: DEFAULT_PASSWORD_ENV,
        describe: 'environment variable holding the password (else a prompt)',
      })
      .option('overwrite', {
        type: 'boolean',
        default: false,
        describe: 'replace an existing hotkey file, or a coldkey that lacks coldkeypub.txt (asks first)',
      })
      .option('prompt', {
        type: 'boolean',
        default: true,
        describe: 'ask before replacing a coldkey under --overwrite (--no-prompt: replace without asking)',
      })
      .option('json', { type: 'boolean', describe: 'print JSON' }),
  async run(args, { io, config }) {
    const coldkeyPassword = args.encrypt
      ? await readPassword(io, args.passwordEnv, 'Password for the new coldkey: ')
      : undefined;
    const created = await createWallet({
      wallet: args.name,
      hotkey: args.hotkey,
      path: args.walletPath ?? config.walletPath,
      coldkeyPassword,
      overwrite: args.overwrite,
      confirmColdkeyReplace: !args.prompt
        ? undefined
        : (file) =>
            confirm(`Replace the existing coldkey ${file}? Its key is lost unless you hold its mnemonic.`),
    });
    if (args.json) {
      writeJson(io.stdout, created);
      return;
    }
    io.stdout.write(
      `wallet ${created.wallet} in ${created.dir}\n` +
        `  coldkey  ${created.coldkeyAddress}${created.coldkeyExisted ? ' (existing)' : coldkeyPassword ? ' (encrypted)' : ''}\n` +
        `  hotkey   ${created.hotkey}: ${created.hotkeyAddress}\n`,
    );
  },
});
