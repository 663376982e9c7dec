import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WalletError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { decryptKeyfileData, encryptKeyfileData } from './keyfile-crypto.js';
import { loadColdkey } from './wallet-store.js';

// Made by PyNaCl (libsodium) with btcli's scheme: see fixtures/make-nacl-keyfile.py.
const FIXTURE = fileURLToPath(new URL('../../fixtures/alice-coldkey.nacl', import.meta.url));
const PASSWORD = 'correct horse battery staple';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

async function walletWithColdkey(bytes: Uint8Array | string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pretrain-wallet-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(root, 'w'));
  await writeFile(join(root, 'w', 'coldkey'), bytes);
  return root;
}

describe('btcli $NACL keyfiles', () => {
  it('rejects a wrong password with a clear WalletError', async () => {
    const root = await walletWithColdkey(await readFile(FIXTURE));
    const error = await loadColdkey({ wallet: 'w', path: root, password: () => 'not the password' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(WalletError);
    expect(error.message).toMatch(/wrong password for the encrypted keyfile .*coldkey/);
    expect(error.message).not.toContain(PASSWORD);
  });

  it('opens a coldkey encrypted by libsodium with the right password', async () => {
    const root = await walletWithColdkey(await readFile(FIXTURE));
    const signer = await loadColdkey({ wallet: 'w', path: root, password: PASSWORD });
    expect(signer.address).toBe(ALICE);
  });

  // Runs after the fixture test with the same password, so the multi-second key
  // derivation is reused (the fixture test proved the derivation itself).
  it('round-trips its own encryption and fails on a flipped byte', async () => {
    const plain = Buffer.from('{"secretSeed":"0x00"}');
    const sealed = await encryptKeyfileData(plain, PASSWORD);
    expect(Buffer.from(sealed.subarray(0, 5)).toString()).toBe('$NACL');
    expect(sealed.length).toBe(5 + 24 + 16 + plain.length);
    expect(Buffer.from(await decryptKeyfileData(sealed, PASSWORD, 'mem'))).toEqual(plain);
    sealed.set([(sealed.at(-1) as number) ^ 1], sealed.length - 1);
    await expect(decryptKeyfileData(sealed, PASSWORD, 'mem')).rejects.toBeInstanceOf(WalletError);
  });

  it('names the format of keyfiles it cannot open', async () => {
    for (const [bytes, name] of [
      ['$ANSIBLE_VAULT;1.1;AES256\n6162', /Ansible Vault/],
      ['gAAAAABkZXhhbXBsZQ==', /Fernet/],
      ['\x00\x01binary', /unknown/],
    ] as const) {
      const root = await walletWithColdkey(bytes);
      const error = await loadColdkey({ wallet: 'w', path: root, password: 'x' }).catch((e) => e);
      expect(error).toBeInstanceOf(WalletError);
      expect(error.message).toMatch(name);
    }
  });

  it('asks for a password only when the file is encrypted', async () => {
    const root = await walletWithColdkey(await readFile(FIXTURE));
    const error = await loadColdkey({ wallet: 'w', path: root }).catch((e) => e);
    expect(error).toBeInstanceOf(WalletError);
    expect(error.message).toMatch(/encrypted and no password was given/);
  });
});
