import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { BITTENSOR_SS58_FORMAT } from '@pretrain/subtensor';

/** A role a devnet wallet plays. */
export type DevnetRole = 'miner' | 'validator';

/** One devnet wallet: its btcli names, keys and role. */
export interface DevnetKeys {
  readonly role: DevnetRole;
  /** Wallet (coldkey) name, e.g. `miner-0`; the hotkey is `default`. */
  readonly wallet: string;
  readonly coldkey: KeyringPair;
  readonly hotkey: KeyringPair;
}

/** The mini secret of a devnet key: deterministic, so a resumed devnet finds its wallets again. */
export function devnetSeed(wallet: string, key: 'coldkey' | 'hotkey'): Uint8Array {
  return blake2AsU8a(`pretrain-devnet/${wallet}/${key}`, 256);
}

/** The keys of `miners` miners and `validators` validators (`miner-0`…, `validator-0`…). */
export function devnetKeys(miners: number, validators: number): DevnetKeys[] {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: BITTENSOR_SS58_FORMAT });
  const make = (role: DevnetRole, index: number): DevnetKeys => {
    const wallet = `${role}-${index}`;
    return {
      role,
      wallet,
      coldkey: keyring.addFromSeed(devnetSeed(wallet, 'coldkey')),
      hotkey: keyring.addFromSeed(devnetSeed(wallet, 'hotkey')),
    };
  };
  return [
    ...Array.from({ length: validators }, (_, i) => make('validator', i)),
    ...Array.from({ length: miners }, (_, i) => make('miner', i)),
  ];
}

/** //Alice: sudo and subnet owner on the devnet. */
export function alicePair(): KeyringPair {
  return new Keyring({ type: 'sr25519', ss58Format: BITTENSOR_SS58_FORMAT }).addFromUri('//Alice');
}

/** Hotkey that owns subnet `netuid` on the devnet (one per subnet, so each registers once). */
export function ownerHotkey(netuid: number): KeyringPair {
  return new Keyring({ type: 'sr25519', ss58Format: BITTENSOR_SS58_FORMAT }).addFromUri(
    `//Alice//subnet-owner-${netuid}`,
  );
}
