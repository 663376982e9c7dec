import { mkdtemp, readFile, stat } from 'node:fs/promises';
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
