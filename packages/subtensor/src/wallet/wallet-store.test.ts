import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, WalletError } from '@pretrain/core';
import { describe, expect, it } from 'vitest';
import { isKeypairSigner } from './keypair-signer.js';
import { createWallet, listWallets, loadColdkey, loadHotkey, readColdkeyAddress } from './wallet-store.js';

// The public development phrase of substrate; its root key (no derivation path) has this
// well-known address (subkey inspect "bottom drive obey lake curtain smoke basket hold race lonely fit walk").
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const DEV_ROOT = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';

describe('btcli wallets', () => {
  it('round-trips a wallet through createWallet and loading it back', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    const created = await createWallet({ wallet: 'miner', hotkey: 'default', path: root });
    const hotkey = await loadHotkey({ wallet: 'miner', hotkey: 'default', path: root });
    const coldkey = await loadColdkey({ wallet: 'miner', path: root });
    expect(hotkey.address).toBe(created.hotkeyAddress);
    expect(coldkey.address).toBe(created.coldkeyAddress);
    expect(await readColdkeyAddress({ wallet: 'miner', path: root })).toBe(created.coldkeyAddress);
    expect(isKeypairSigner(hotkey)).toBe(true);
    expect(JSON.stringify(hotkey)).toBe(JSON.stringify({ address: hotkey.address }));

    for (const file of ['coldkey', 'coldkeypub.txt', 'hotkeys/default']) {
      expect((await stat(join(root, 'miner', file))).mode & 0o777).toBe(0o600);
    }
    const hotJson = JSON.parse(await readFile(join(root, 'miner', 'hotkeys', 'default'), 'utf8'));
    expect(Object.keys(hotJson).sort()).toEqual(
      ['accountId', 'privateKey', 'publicKey', 'secretPhrase', 'secretSeed', 'ss58Address'].sort(),
    );
    const pub = JSON.parse(await readFile(join(root, 'miner', 'coldkeypub.txt'), 'utf8'));
    expect(pub.privateKey).toBeUndefined();
    expect(pub.ss58Address).toBe(created.coldkeyAddress);

    const second = await createWallet({ wallet: 'miner', hotkey: 'second', path: root });
    expect(second.coldkeyExisted).toBe(true);
    expect(second.coldkeyAddress).toBe(created.coldkeyAddress);
    await expect(createWallet({ wallet: 'miner', hotkey: 'default', path: root })).rejects.toBeInstanceOf(
      WalletError,
    );

    const listed = await listWallets(root);
    expect(listed).toEqual([
      {
        name: 'miner',
        coldkeyAddress: created.coldkeyAddress,
        hotkeys: [
          { name: 'default', address: created.hotkeyAddress },
          { name: 'second', address: second.hotkeyAddress },
        ],
      },
    ]);
  });

  it('derives keys from secretPhrase like substrate', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    const created = await createWallet({
      wallet: 'w',
      hotkey: 'h',
      path: root,
      keys: { hotkey: { mnemonic: DEV_PHRASE } },
    });
    expect(created.hotkeyAddress).toBe(DEV_ROOT);
    expect((await loadHotkey({ wallet: 'w', hotkey: 'h', path: root })).address).toBe(DEV_ROOT);
  });

  it('reports a missing hotkey and a bad name clearly', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    const missing = await loadHotkey({ wallet: 'none', hotkey: 'h', path: root }).catch((e) => e);
    expect(missing).toBeInstanceOf(WalletError);
    expect(missing.message).toContain(join(root, 'none', 'hotkeys', 'h'));
    await expect(loadHotkey({ wallet: '../x', hotkey: 'h', path: root })).rejects.toBeInstanceOf(UsageError);
    expect(await listWallets(join(root, 'absent'))).toEqual([]);
  });
});

describe('createWallet never replaces a keyfile unasked', () => {
  const coldkeyOnly = async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    await createWallet({ wallet: 'w', hotkey: 'h', path: root });
    await rm(join(root, 'w', 'coldkeypub.txt'));
    return { root, coldkey: await readFile(join(root, 'w', 'coldkey')) };
  };

  it('keeps a coldkey whose coldkeypub.txt is missing', async () => {
    const { root, coldkey } = await coldkeyOnly();
    const refused = await createWallet({ wallet: 'w', hotkey: 'other', path: root }).catch((e) => e);
    expect(refused).toBeInstanceOf(WalletError);
    expect(refused.message).toContain('has a coldkey but no coldkeypub.txt');
    expect(refused.hint).toContain('--overwrite');
    expect(await readFile(join(root, 'w', 'coldkey'))).toEqual(coldkey);
  });

  it('replaces it under overwrite only when the confirmation says yes', async () => {
    const { root, coldkey } = await coldkeyOnly();
    const asked: string[] = [];
    const no = await createWallet({
      wallet: 'w',
      hotkey: 'other',
      path: root,
      overwrite: true,
      confirmColdkeyReplace: async (file) => (asked.push(file), false),
    }).catch((e) => e);
    expect(no).toBeInstanceOf(WalletError);
    expect(asked).toEqual([join(root, 'w', 'coldkey')]);
    expect(await readFile(join(root, 'w', 'coldkey'))).toEqual(coldkey);
    const yes = await createWallet({
      wallet: 'w',
      hotkey: 'other',
      path: root,
      overwrite: true,
      confirmColdkeyReplace: async () => true,
    });
    expect(yes.coldkeyExisted).toBe(false);
    expect(await readFile(join(root, 'w', 'coldkey'))).not.toEqual(coldkey);
    expect(await readColdkeyAddress({ wallet: 'w', path: root })).toBe(yes.coldkeyAddress);
  });

  it('reports a wallets path that is a file, or not writable, as a WalletError', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    await writeFile(join(root, 'file'), 'x');
    const onFile = await createWallet({ wallet: 'w', hotkey: 'h', path: join(root, 'file') }).catch((e) => e);
    expect(onFile).toBeInstanceOf(WalletError);
    expect(onFile.hint).toContain('--wallet-path');
    if (process.getuid?.() === 0) return; // root writes anywhere
    await mkdir(join(root, 'locked'), { mode: 0o500 });
    const locked = await createWallet({ wallet: 'w', hotkey: 'h', path: join(root, 'locked') }).catch(
      (e) => e,
    );
    expect(locked).toBeInstanceOf(WalletError);
    expect(locked.message).toContain('not writable');
  });

  it('refuses an empty coldkey password', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    await expect(
      createWallet({ wallet: 'w', hotkey: 'h', path: root, coldkeyPassword: '' }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

describe('damaged keyfiles are reported as corrupt', () => {
  it('a coldkeypub.txt that is not JSON, or whose address has a bad checksum', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    const created = await createWallet({ wallet: 'w', hotkey: 'h', path: root });
    const pub = join(root, 'w', 'coldkeypub.txt');
    // Flip the last character: same alphabet, wrong SS58 checksum.
    const last = created.coldkeyAddress.at(-1) === 'a' ? 'b' : 'a';
    const badSum = `${created.coldkeyAddress.slice(0, -1)}${last}`;
    await writeFile(pub, JSON.stringify({ ss58Address: badSum }));
    const checksum = await readColdkeyAddress({ wallet: 'w', path: root }).catch((e) => e);
    expect(checksum).toBeInstanceOf(WalletError);
    expect(checksum.message).toContain('corrupt');
    expect((await listWallets(root))[0]?.coldkeyProblem).toBe('corrupt');

    await writeFile(pub, '{"ss58Address": ');
    const notJson = await readColdkeyAddress({ wallet: 'w', path: root }).catch((e) => e);
    expect(notJson).toBeInstanceOf(WalletError);
    expect(notJson.message).toContain('corrupt');
    await rm(pub);
    expect((await listWallets(root))[0]?.coldkeyProblem).toBe('missing');
  });

  it('a hotkey whose ss58Address has a bad checksum', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    await createWallet({ wallet: 'w', hotkey: 'h', path: root });
    const file = join(root, 'w', 'hotkeys', 'h');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.ss58Address = `${json.ss58Address.slice(0, -1)}${json.ss58Address.at(-1) === 'a' ? 'b' : 'a'}`;
    await writeFile(file, JSON.stringify(json));
    const error = await loadHotkey({ wallet: 'w', hotkey: 'h', path: root }).catch((e) => e);
    expect(error).toBeInstanceOf(WalletError);
    expect(error.message).toContain('ss58Address is not a valid SS58 address');
  });

  it('an encrypted keyfile given an empty password', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pretrain-wallets-'));
    await createWallet({ wallet: 'w', hotkey: 'h', path: root });
    await writeFile(
      join(root, 'w', 'hotkeys', 'h'),
      Buffer.concat([Buffer.from('$NACL'), Buffer.alloc(64, 7)]),
    );
    const error = await loadHotkey({ wallet: 'w', hotkey: 'h', path: root, password: () => '' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(WalletError);
    expect(error.message).toContain('password given is empty');
  });
});
