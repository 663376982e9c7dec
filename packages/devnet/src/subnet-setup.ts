import { ChainError, UsageError } from '@pretrain/core';
import type { ApiPromise } from '@polkadot/api';
import { storageNumber as toNumber, type ExtrinsicSender } from '@pretrain/subtensor';
import { alicePair, ownerHotkey, type DevnetKeys } from './devnet-keys.js';

/** Storage writes in chopsticks' `dev_setStorage` object form (pallet → item → value). */
export type StorageWrites = Record<string, Record<string, unknown>>;

/** What the setup needs from the running devnet. */
export interface SetupContext {
  readonly api: ApiPromise;
  readonly sender: ExtrinsicSender;
  readonly setStorage: (writes: StorageWrites) => Promise<void>;
  /** Write raw storage now and again on top of every new block. */
  readonly pinStorage: (pairs: readonly (readonly [string, string])[]) => void;
}

const RAO_PER_TAO = 1_000_000_000n;
/** Stake each validator gets, in TAO. */
export const VALIDATOR_STAKE_TAO = 10_000n;
const POOL_RESERVE_TAO = 1_000_000n;

/** SCALE little-endian hex of an unsigned integer: chopsticks' object form drops zeros, hex keeps them. */
export function uintHex(value: number, bytes: number): string {
  const out = Buffer.alloc(bytes);
  out.writeUIntLE(value, 0, Math.min(bytes, 6));
  return `0x${out.toString('hex')}`;
}

async function existingNetuids(api: ApiPromise): Promise<number[]> {
  const entries = await api.query.subtensorModule!.networksAdded!.entries();
  return entries.filter(([, added]) => added.toPrimitive() === true).map(([key]) => toNumber(key.args[0]));
}

/** Create subnets until `netuid` exists (the runtime hands out netuids in order). */
async function ensureSubnet(ctx: SetupContext, netuid: number): Promise<void> {
  const existing = await existingNetuids(ctx.api);
  if (existing.includes(netuid)) return;
  const highest = Math.max(0, ...existing);
  if (netuid < highest) {
    throw new UsageError(
      `netuid ${netuid} cannot be created on this devnet (subnets up to ${highest} exist already)`,
      {
        hint: `pick --netuid ${highest + 1} or higher, or an existing one: ${existing.join(', ')}`,
      },
    );
  }
  const tx = ctx.api.tx;
  const calls = [];
  for (let next = highest + 1; next <= netuid; next += 1)
    calls.push(tx.subtensorModule!.registerNetwork!(ownerHotkey(next).address, 1));
  await ctx.sender.send(
    tx.utility!.batchAll!(calls),
    alicePair(),
    `creating subnets ${highest + 1}..${netuid}`,
  );
  if (!(await existingNetuids(ctx.api)).includes(netuid)) {
    throw new ChainError(`the devnet did not create netuid ${netuid}`, {
      hint: 'start from an empty --data-dir',
    });
  }
}

async function uidOf(api: ApiPromise, netuid: number, hotkey: string): Promise<number | undefined> {
  const value = (await api.query.subtensorModule!.uids!(netuid, hotkey)).toPrimitive();
  return typeof value === 'number' ? value : undefined;
}

/**
 * Prepare `netuid` for local work: create it, lift the registration, network and
 * weights-set rate limits (the commitment rate limit stays, as on mainnet), register
 * every hotkey (burned registration, signed by its coldkey), stake the validators and
 * give them permits. Idempotent: a resumed devnet only re-applies the storage settings.
 *
 * Permits: this runtime (spec 218) runs the subnet's epoch at every block, and the epoch
 * gives every neuron a permit (whatever `MaxAllowedValidators` says). So the devnet pins
 * `ValidatorPermit` (validators only) and writes it again on top of every new block.
 *
 * @returns the uid of each wallet, in the order of `keys`.
 */
export async function setupSubnet(
  ctx: SetupContext,
  netuid: number,
  keys: readonly DevnetKeys[],
): Promise<number[]> {
  await ensureSubnet(ctx, netuid);
  const validators = keys.filter((k) => k.role === 'validator');
  await ctx.setStorage({
    SubtensorModule: {
      MaxRegistrationsPerBlock: [[[netuid], uintHex(1024, 2)]],
      TargetRegistrationsPerInterval: [[[netuid], uintHex(1024, 2)]],
      WeightsSetRateLimit: [[[netuid], uintHex(0, 8)]],
      MaxAllowedValidators: [[[netuid], uintHex(Math.max(1, validators.length), 2)]],
    },
  });
  const api = ctx.api;
  const unregistered = [];
  for (const key of keys)
    if ((await uidOf(api, netuid, key.hotkey.address)) === undefined) unregistered.push(key);
  await Promise.all(
    unregistered.map((k) =>
      ctx.sender.send(
        api.tx.subtensorModule!.burnedRegister!(netuid, k.hotkey.address),
        k.coldkey,
        `registering ${k.wallet}`,
      ),
    ),
  );
  const stake = (VALIDATOR_STAKE_TAO * RAO_PER_TAO).toString();
  const toStake = unregistered.filter((k) => k.role === 'validator');
  if (toStake.length > 0) {
    // A new subnet's pool holds almost no alpha, so staking would buy next to nothing;
    // deep reserves at price 1 make a validator's stake about the TAO it put in.
    const reserve = (POOL_RESERVE_TAO * RAO_PER_TAO).toString();
    await ctx.setStorage({
      SubtensorModule: { SubnetTAO: [[[netuid], reserve]], SubnetAlphaIn: [[[netuid], reserve]] },
    });
  }
  await Promise.all(
    toStake.map((k) =>
      ctx.sender.send(
        api.tx.subtensorModule!.addStake!(k.hotkey.address, netuid, stake),
        k.coldkey,
        `staking ${k.wallet}`,
      ),
    ),
  );
  const uids: number[] = [];
  for (const key of keys) {
    const uid = await uidOf(api, netuid, key.hotkey.address);
    if (uid === undefined)
      throw new ChainError(`${key.wallet} is not registered on netuid ${netuid} after setup`);
    uids.push(uid);
  }
  const n = toNumber(await api.query.subtensorModule!.subnetworkN!(netuid));
  const validatorUids = new Set(uids.filter((_, i) => keys[i]?.role === 'validator'));
  const permits = Array.from({ length: n }, (_, uid) => validatorUids.has(uid));
  const item = api.query.subtensorModule!.validatorPermit!;
  ctx.pinStorage([[item.key(netuid), api.createType('Vec<bool>', permits).toHex()]]);
  return uids;
}
