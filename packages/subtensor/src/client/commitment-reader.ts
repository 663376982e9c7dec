import { ChainError, type Commitment } from '@pretrain/core';
import type { ApiPromise } from '@polkadot/api';
import { hexToU8a } from '@polkadot/util';
import { decodeCommitment } from './commitment-codec.js';
import { storageItem } from './storage-access.js';

function commitmentOf(api: ApiPromise) {
  const item = storageItem(api, 'commitments', 'commitmentOf');
  if (item === undefined) throw new ChainError('this runtime has no Commitments.CommitmentOf storage');
  return item;
}

/**
 * Decode one stored `CommitmentOf` value on its own, so that a value that does not decode
 * (or leaves bytes over) gives no metadata for that hotkey instead of failing every read.
 */
function decodeStored(api: ApiPromise, hotkey: string, hex: string): Commitment {
  const type = commitmentOf(api).creator.meta.type;
  const valueType = api.registry.createLookupType(type.isMap ? type.asMap.value : type.asPlain);
  const bytes = hexToU8a(hex);
  try {
    const value = api.registry.createType(valueType, bytes);
    if (value.encodedLength !== bytes.length) return { hotkey, data: undefined, block: 0 };
    return decodeCommitment(hotkey, value.toJSON());
  } catch {
    return { hotkey, data: undefined, block: 0 };
  }
}

/** Raw values of storage keys at the best block (one request for all of them). */
async function rawValues(api: ApiPromise, keys: string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  const sets = (await api.rpc.state.queryStorageAt.raw(keys)) as unknown as {
    changes: [string, string | null][];
  }[];
  const byKey = new Map<string, string | null>();
  for (const set of sets) for (const [key, value] of set.changes) byKey.set(key, value);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** The commitment of `hotkey` on `netuid`, or undefined when it has none. */
export async function readCommitment(
  api: ApiPromise,
  netuid: number,
  hotkey: string,
): Promise<Commitment | undefined> {
  const [value] = await rawValues(api, [commitmentOf(api).key(netuid, hotkey)]);
  return value === null || value === undefined ? undefined : decodeStored(api, hotkey, value);
}

/** Every commitment stored on `netuid`. */
export async function readCommitments(api: ApiPromise, netuid: number): Promise<Commitment[]> {
  const keys = await commitmentOf(api).keys(netuid);
  const values = await rawValues(
    api,
    keys.map((k) => k.toHex()),
  );
  const commitments: Commitment[] = [];
  keys.forEach((key, i) => {
    const value = values[i];
    const hotkey = key.args[1]?.toString();
    if (value !== null && value !== undefined && hotkey !== undefined)
      commitments.push(decodeStored(api, hotkey, value));
  });
  return commitments;
}
