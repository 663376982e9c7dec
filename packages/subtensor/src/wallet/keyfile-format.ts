import { WalletError } from '@pretrain/core';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import { mnemonicToMiniSecret, mnemonicValidate, sr25519PairFromSeed } from '@polkadot/util-crypto';

/** SS58 prefix bittensor uses for addresses. */
export const BITTENSOR_SS58_FORMAT = 42;

/** The fields of btcli's JSON keyfile (all optional: a `*pub.txt` holds only the public ones). */
export interface KeyfileJson {
  readonly accountId?: string;
  readonly publicKey?: string;
  /** 64-byte sr25519 secret key (hex). */
  readonly privateKey?: string;
  readonly secretPhrase?: string;
  /** 32-byte mini secret (hex). */
  readonly secretSeed?: string;
  readonly ss58Address?: string;
}

/** How a keyfile's bytes are stored, as btcli recognises them. */
export type KeyfileFormat = 'json' | 'nacl' | 'ansible-vault' | 'fernet' | 'unknown';

/** Human names of the formats, for error messages. */
export const KEYFILE_FORMAT_NAMES: Readonly<Record<KeyfileFormat, string>> = {
  json: 'unencrypted JSON',
  nacl: 'NaCl-encrypted ($NACL)',
  'ansible-vault': 'Ansible Vault (legacy bittensor encryption)',
  fernet: 'Fernet (legacy bittensor encryption, gAAAAA…)',
  unknown: 'unknown',
};

/** Recognise a keyfile's format from its leading bytes, as btcli does. */
export function detectKeyfileFormat(bytes: Uint8Array): KeyfileFormat {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (head.startsWith('$NACL')) return 'nacl';
  if (head.startsWith('$ANSIBLE_VAULT')) return 'ansible-vault';
  if (head.startsWith('gAAAAA')) return 'fernet';
  if (head.trimStart().startsWith('{')) return 'json';
  return 'unknown';
}

/** Parse JSON keyfile bytes; `where` names the file in errors. */
export function parseKeyfileJson(bytes: Uint8Array, where: string): KeyfileJson {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw new WalletError(`keyfile ${where} is corrupt: not valid JSON`, {
      cause,
      hint: 'restore it from a backup or regenerate it',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WalletError(`keyfile ${where} is corrupt: it holds no JSON object`, {
      hint: 'restore it from a backup or regenerate it',
    });
  }
  return value as KeyfileJson;
}

function newKeyring(): Keyring {
  return new Keyring({ type: 'sr25519', ss58Format: BITTENSOR_SS58_FORMAT });
}

function seedBytes(seed: string, where: string): Uint8Array {
  const bytes = isHex(seed) ? hexToU8a(seed) : undefined;
  if (bytes?.length !== 32) {
    throw new WalletError(`keyfile ${where} has a secretSeed that is not 32 bytes of hex`, {
      hint: 'restore it from a backup or regenerate it',
    });
  }
  return bytes;
}

/**
 * The sr25519 pair of a keyfile: from `secretPhrase` (substrate BIP-39 derivation), else
 * `secretSeed`, else `privateKey` + `publicKey` (btcli's order). Checks `ss58Address`
 * against the derived key.
 */
export function pairFromKeyfile(json: KeyfileJson, where: string): KeyringPair {
  const keyring = newKeyring();
  let pair: KeyringPair;
  if (typeof json.secretPhrase === 'string' && json.secretPhrase.trim() !== '') {
    if (!mnemonicValidate(json.secretPhrase.trim())) {
      throw new WalletError(`keyfile ${where} has a secretPhrase that is not a valid BIP-39 mnemonic`);
    }
    pair = keyring.addFromSeed(mnemonicToMiniSecret(json.secretPhrase.trim()));
  } else if (typeof json.secretSeed === 'string') {
    pair = keyring.addFromSeed(seedBytes(json.secretSeed, where));
  } else if (typeof json.privateKey === 'string' && typeof json.publicKey === 'string') {
    const secretKey = hexToU8a(json.privateKey);
    const publicKey = hexToU8a(json.publicKey);
    if (secretKey.length !== 64 || publicKey.length !== 32) {
      throw new WalletError(`keyfile ${where} has a privateKey/publicKey of the wrong length`);
    }
    pair = keyring.addFromPair({ publicKey, secretKey });
  } else {
    throw new WalletError(`keyfile ${where} holds no secret (no secretPhrase, secretSeed or privateKey)`, {
      hint: 'a *pub.txt file only names the address; sign with the full keyfile',
    });
  }
  if (
    json.ss58Address !== undefined &&
    decodeKeyfileAddress(json.ss58Address, where).toString() !== pair.publicKey.toString()
  ) {
    throw new WalletError(
      `keyfile ${where}: ss58Address ${json.ss58Address} does not match its secret (${pair.address})`,
      {
        hint: 'the file is inconsistent; restore it from a backup',
      },
    );
  }
  return pair;
}

/**
 * The public key of a keyfile's `ss58Address` (any SS58 prefix, checksum checked).
 *
 * @throws WalletError when it is not a string or not a valid SS58 address (e.g. a bad checksum).
 */
export function decodeKeyfileAddress(address: unknown, where: string): Uint8Array {
  try {
    if (typeof address !== 'string') throw new TypeError(`not a string: ${typeof address}`);
    return newKeyring().decodeAddress(address);
  } catch (cause) {
    throw new WalletError(`keyfile ${where} is corrupt: its ss58Address is not a valid SS58 address`, {
      cause,
      hint: 'restore the file from a backup, or regenerate it from its mnemonic (`btcli wallet regen-coldkey`/`regen-hotkey`)',
    });
  }
}

/** The JSON keyfile btcli writes for a key made from `mnemonic`. */
export function keyfileFromMnemonic(mnemonic: string): KeyfileJson {
  const seed = mnemonicToMiniSecret(mnemonic);
  return { ...keyfileFromSeed(seed), secretPhrase: mnemonic };
}

/** The JSON keyfile for a key made from a 32-byte mini secret (no phrase). */
export function keyfileFromSeed(seed: Uint8Array): KeyfileJson {
  const { publicKey, secretKey } = sr25519PairFromSeed(seed);
  const publicHex = u8aToHex(publicKey);
  return {
    accountId: publicHex,
    publicKey: publicHex,
    privateKey: u8aToHex(secretKey),
    secretSeed: u8aToHex(seed),
    ss58Address: newKeyring().encodeAddress(publicKey),
  };
}

/** The public part of a keyfile, as btcli writes `coldkeypub.txt`. */
export function publicKeyfile(json: KeyfileJson): KeyfileJson {
  return { accountId: json.accountId, publicKey: json.publicKey, ss58Address: json.ss58Address };
}
