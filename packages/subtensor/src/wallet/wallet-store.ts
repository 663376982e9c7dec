import { chmod, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError, WalletError } from '@pretrain/core';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';
import { encryptKeyfileData } from './keyfile-crypto.js';
import {
  decodeKeyfileAddress,
  keyfileFromMnemonic,
  keyfileFromSeed,
  publicKeyfile,
  type KeyfileJson,
} from './keyfile-format.js';
import { KeypairSigner } from './keypair-signer.js';
import { readKeyfileJson, readKeypair, type PasswordSource } from './read-keyfile.js';

/** Where btcli keeps wallets: `~/.bittensor/wallets`. */
export function defaultWalletPath(): string {
  return join(homedir(), '.bittensor', 'wallets');
}

/** A wallet (coldkey) by name, in a wallets directory (default {@link defaultWalletPath}). */
export interface WalletLocation {
  readonly wallet: string;
  readonly path?: string | undefined;
}

/** Paths of a wallet's files in btcli's layout. */
export function walletPaths(location: WalletLocation, hotkey?: string) {
  const dir = join(location.path ?? defaultWalletPath(), checkName(location.wallet, 'wallet'));
  return {
    dir,
    coldkey: join(dir, 'coldkey'),
    coldkeyPub: join(dir, 'coldkeypub.txt'),
    hotkeys: join(dir, 'hotkeys'),
    hotkey: hotkey === undefined ? undefined : join(dir, 'hotkeys', checkName(hotkey, 'hotkey')),
  };
}

function checkName(name: string, what: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new UsageError(`invalid ${what} name '${name}'`, {
      hint: `a ${what} name is a plain file name (no slashes)`,
    });
  }
  return name;
}

/** Load the hotkey `<path>/<wallet>/hotkeys/<hotkey>` as a signer. */
export async function loadHotkey(
  options: WalletLocation & { readonly hotkey: string; readonly password?: PasswordSource },
): Promise<KeypairSigner> {
  const file = walletPaths(options, options.hotkey).hotkey as string;
  return new KeypairSigner(await readKeypair(file, 'hotkey file', options.password));
}

/** Load the coldkey of a wallet as a signer (asks `password` when it is encrypted). */
export async function loadColdkey(
  options: WalletLocation & { readonly password?: PasswordSource },
): Promise<KeypairSigner> {
  return new KeypairSigner(await readKeypair(walletPaths(options).coldkey, 'coldkey file', options.password));
}

/** The coldkey's SS58 address from `coldkeypub.txt` (no secret is read). */
export async function readColdkeyAddress(location: WalletLocation): Promise<string> {
  const file = walletPaths(location).coldkeyPub;
  const json = await readKeyfileJson(file, 'coldkeypub file');
  if (typeof json.ss58Address !== 'string') {
    throw new WalletError(`coldkeypub file ${file} is corrupt: it has no ss58Address`, {
      hint: 'restore it from a backup, or regenerate it (`btcli wallet regen-coldkeypub`)',
    });
  }
  decodeKeyfileAddress(json.ss58Address, file);
  return json.ss58Address;
}

async function writeSecretFile(file: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFile(file, data, { mode: 0o600 });
    await chmod(file, 0o600);
  } catch (cause) {
    throw walletPathError(file, cause as NodeJS.ErrnoException);
  }
}

/** True when anything (file, directory, dangling link) sits at `file`. */
async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (cause: NodeJS.ErrnoException) => {
      if (cause.code === 'ENOENT') return false;
      throw walletPathError(file, cause);
    },
  );
}

/** A wallets directory that cannot be used (a file on the way, no permission) as a {@link WalletError}. */
function walletPathError(file: string, cause: NodeJS.ErrnoException): WalletError {
  const code = cause.code ?? String(cause);
  const why =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? 'a file stands where a directory is needed'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'it is not writable'
        : code;
  return new WalletError(`cannot use the wallet location ${file}: ${why} (${code})`, {
    cause,
    hint: '--wallet-path must name a writable directory (default ~/.bittensor/wallets)',
  });
}

/** Options of {@link createWallet}. */
export interface CreateWalletOptions extends WalletLocation {
  readonly hotkey: string;
  /** Encrypt the coldkey with this password ($NACL); unencrypted when absent (development). */
  readonly coldkeyPassword?: string;
  /**
   * Replace existing keyfiles instead of failing: the hotkey file, and a coldkey that
   * must be rewritten because its `coldkeypub.txt` is missing. A complete coldkey
   * (`coldkey` with `coldkeypub.txt`, or `coldkeypub.txt` alone) is always kept.
   */
  readonly overwrite?: boolean;
  /**
   * Asked before an existing `coldkey` file is replaced under `overwrite`; answering
   * false stops with a {@link WalletError} and nothing written. Absent: replace.
   */
  readonly confirmColdkeyReplace?: (file: string) => Promise<boolean>;
  /** Keys to use instead of fresh random mnemonics (imports, deterministic devnets). */
  readonly keys?: { readonly coldkey?: KeySource; readonly hotkey?: KeySource };
}

/** Where a new key comes from: a BIP-39 phrase or a 32-byte mini secret. */
export type KeySource = { readonly mnemonic: string } | { readonly seed: Uint8Array };

function newKeyfile(source: KeySource | undefined): KeyfileJson {
  if (source === undefined) return keyfileFromMnemonic(mnemonicGenerate(12));
  return 'mnemonic' in source ? keyfileFromMnemonic(source.mnemonic) : keyfileFromSeed(source.seed);
}

/** What {@link createWallet} wrote. */
export interface CreatedWallet {
  readonly wallet: string;
  readonly hotkey: string;
  readonly coldkeyAddress: string;
  readonly hotkeyAddress: string;
  /** True when an existing coldkey was kept and only the hotkey was added. */
  readonly coldkeyExisted: boolean;
  readonly dir: string;
}

/**
 * Create a wallet in btcli's format: `coldkey` (encrypted when a password is given),
 * `coldkeypub.txt` and `hotkeys/<hotkey>`, all mode 0600. An existing coldkey is kept;
 * no existing keyfile is replaced unless `overwrite` says so (see its rules).
 *
 * @throws WalletError when a keyfile would be replaced, or the wallets directory is unusable.
 */
export async function createWallet(options: CreateWalletOptions): Promise<CreatedWallet> {
  await cryptoWaitReady();
  const paths = walletPaths(options, options.hotkey);
  const hotkeyFile = paths.hotkey as string;
  const overwrite = options.overwrite === true;
  if (options.coldkeyPassword === '') {
    throw new UsageError('the password for the new coldkey is empty', {
      hint: 'choose a non-empty password, or leave out --encrypt for an unencrypted development wallet',
    });
  }
  if (!overwrite && (await exists(hotkeyFile))) {
    throw new WalletError(`hotkey file already exists: ${hotkeyFile}`, {
      hint: 'choose another --hotkey name, or pass --overwrite to replace it (its key is lost)',
    });
  }
  // Any of the two coldkey files is evidence of a coldkey: a coldkey without its public
  // file must never be silently replaced by a new one.
  const pubExists = await exists(paths.coldkeyPub);
  const coldExists = await exists(paths.coldkey);
  if (coldExists && !pubExists) {
    if (!overwrite) {
      throw new WalletError(
        `wallet ${options.wallet} has a coldkey but no coldkeypub.txt: ${paths.coldkey}`,
        {
          hint:
            'restore coldkeypub.txt (e.g. `btcli wallet regen-coldkeypub`), or pass --overwrite to replace the coldkey ' +
            '(its funds are lost unless you hold its mnemonic)',
        },
      );
    }
    if (
      options.confirmColdkeyReplace !== undefined &&
      !(await options.confirmColdkeyReplace(paths.coldkey))
    ) {
      throw new WalletError(`kept the existing coldkey ${paths.coldkey}; nothing was written`);
    }
  }
  await mkdir(paths.hotkeys, { recursive: true, mode: 0o700 }).catch((cause: NodeJS.ErrnoException) => {
    throw walletPathError(paths.hotkeys, cause);
  });
  const coldkeyExisted = pubExists;
  let coldkeyAddress: string;
  if (coldkeyExisted) {
    coldkeyAddress = await readColdkeyAddress(options);
  } else {
    const cold = newKeyfile(options.keys?.coldkey);
    const plain = Buffer.from(JSON.stringify(cold), 'utf8');
    const stored =
      options.coldkeyPassword === undefined
        ? plain
        : await encryptKeyfileData(plain, options.coldkeyPassword);
    await writeSecretFile(paths.coldkey, stored);
    await writeSecretFile(paths.coldkeyPub, JSON.stringify(publicKeyfile(cold)));
    coldkeyAddress = cold.ss58Address as string;
  }
  const hot = newKeyfile(options.keys?.hotkey);
  await writeSecretFile(hotkeyFile, JSON.stringify(hot));
  return {
    wallet: options.wallet,
    hotkey: options.hotkey,
    coldkeyAddress,
    hotkeyAddress: hot.ss58Address as string,
    coldkeyExisted,
    dir: paths.dir,
  };
}

/** One wallet as {@link listWallets} sees it (public data only). */
export interface WalletSummary {
  readonly name: string;
  /** From `coldkeypub.txt`; undefined when missing or unreadable. */
  readonly coldkeyAddress: string | undefined;
  /** Why `coldkeyAddress` is undefined: `missing`, or `corrupt` (unreadable, not JSON, bad address). */
  readonly coldkeyProblem?: 'missing' | 'corrupt';
  /** Hotkeys by name; `address` is undefined for encrypted or unreadable hotkey files. */
  readonly hotkeys: readonly { readonly name: string; readonly address: string | undefined }[];
}

/** Every wallet under `path` (default {@link defaultWalletPath}), sorted by name. No secret is decrypted. */
export async function listWallets(path: string = defaultWalletPath()): Promise<WalletSummary[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT') return [];
    throw new WalletError(`cannot read the wallets directory ${path} (${cause.code ?? String(cause)})`, {
      cause,
    });
  });
  const wallets: WalletSummary[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const location = { wallet: entry.name, path };
    const coldkeyPub = walletPaths(location).coldkeyPub;
    const coldkeyAddress = await readColdkeyAddress(location).catch(() => undefined);
    const coldkeyProblem =
      coldkeyAddress !== undefined ? undefined : (await exists(coldkeyPub)) ? 'corrupt' : 'missing';
    const hotkeyDir = walletPaths(location).hotkeys;
    const names = (await readdir(hotkeyDir, { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isFile() && !e.name.endsWith('pub.txt'))
      .map((e) => e.name)
      .sort();
    const hotkeys = [];
    for (const name of names) {
      const json = await readKeyfileJson(join(hotkeyDir, name), 'hotkey file').catch(() => undefined);
      hotkeys.push({ name, address: typeof json?.ss58Address === 'string' ? json.ss58Address : undefined });
    }
    wallets.push({
      name: entry.name,
      coldkeyAddress,
      ...(coldkeyProblem === undefined ? {} : { coldkeyProblem }),
      hotkeys,
    });
  }
  return wallets;
}
