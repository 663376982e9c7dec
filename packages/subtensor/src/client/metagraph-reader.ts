import type { Metagraph, Neuron } from '@pretrain/core';
import type { ApiPromise } from '@polkadot/api';
import { keyCount, requireStorage, storageItem, toNumber, type QueryApi } from './storage-access.js';

const RAO_PER_TAO = 1e9;
const U16_MAX = 65535;

/**
 * Stake of each hotkey on `netuid`, in TAO (alpha on dynamic-TAO runtimes), from whichever
 * stake storage the runtime offers: `TotalHotkeyAlpha(hotkey, netuid)` on dynamic TAO,
 * `TotalHotkeyStake(hotkey)` before it; zeros when neither exists.
 */
async function readStakes(api: QueryApi, netuid: number, hotkeys: string[]): Promise<number[]> {
  const alpha = storageItem(api, 'subtensorModule', 'totalHotkeyAlpha');
  if (alpha !== undefined && keyCount(alpha) === 2) {
    const values = await alpha.multi(hotkeys.map((hotkey) => [hotkey, netuid]));
    return values.map((v) => toNumber(v) / RAO_PER_TAO);
  }
  const legacy = storageItem(api, 'subtensorModule', 'totalHotkeyStake');
  if (legacy !== undefined) {
    const values = await legacy.multi(hotkeys);
    return values.map((v) => toNumber(v) / RAO_PER_TAO);
  }
  return hotkeys.map(() => 0);
}

/** A per-uid vector (`ValidatorPermit`, `Incentive`, `LastUpdate`) as JS values. */
async function readVector(api: QueryApi, name: string, netuid: number): Promise<unknown[]> {
  const item = storageItem(api, 'subtensorModule', name);
  if (item === undefined) return [];
  const value = (await item(netuid)).toPrimitive();
  return Array.isArray(value) ? value : [];
}

/**
 * Read the metagraph of `netuid` at the best block, in a handful of batched storage
 * queries, all pinned to that block so that they agree.
 */
export async function readMetagraph(api: ApiPromise, netuid: number): Promise<Metagraph> {
  const header = await api.rpc.chain.getHeader();
  const at: QueryApi = await api.at(header.hash);
  const block = header.number.toNumber();
  const n = toNumber(await requireStorage(at, 'subtensorModule', 'subnetworkN')(netuid));
  if (n === 0) return { netuid, block, neurons: [] };

  const keyEntries = await requireStorage(at, 'subtensorModule', 'keys').entries(netuid);
  const hotkeys: string[] = new Array<string>(n).fill('');
  for (const [key, value] of keyEntries) {
    const uid = toNumber(key.args[1]);
    if (uid < n) hotkeys[uid] = value.toString();
  }
  const weightEntries = await requireStorage(at, 'subtensorModule', 'weights').entries(netuid);
  const weights = new Map<number, [number, number][]>();
  for (const [key, value] of weightEntries) {
    const pairs = value.toPrimitive();
    if (!Array.isArray(pairs)) continue;
    const decoded = pairs.filter(Array.isArray).map((p) => [Number(p[0]), Number(p[1])] as [number, number]);
    weights.set(toNumber(key.args[1]), decoded);
  }
  // A uid without a key (never seen, but storage is input) must not break the batch queries.
  const known = hotkeys.filter((h) => h !== '');
  const [ownerValues, stakeValues, permits, incentives, lastUpdates] = await Promise.all([
    requireStorage(at, 'subtensorModule', 'owner').multi(known),
    readStakes(at, netuid, known),
    readVector(at, 'validatorPermit', netuid),
    readVector(at, 'incentive', netuid),
    readVector(at, 'lastUpdate', netuid),
  ]);

  const coldkeys = new Map(known.map((h, i) => [h, ownerValues[i]?.toString() ?? '']));
  const stakes = new Map(known.map((h, i) => [h, stakeValues[i] ?? 0]));
  const neurons: Neuron[] = hotkeys.map((hotkey, uid) => ({
    uid,
    hotkey,
    coldkey: coldkeys.get(hotkey) ?? '',
    stake: stakes.get(hotkey) ?? 0,
    validatorPermit: permits[uid] === true,
    incentive: Number(incentives[uid] ?? 0) / U16_MAX,
    lastUpdate: Number(lastUpdates[uid] ?? 0),
    weights: weights.get(uid) ?? [],
  }));
  return { netuid, block, neurons };
}
