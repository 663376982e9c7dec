import { readFile } from 'node:fs/promises';
import { UsageError } from '@pretrain/core';
import { u8aToHex } from '@polkadot/util';
import { xxhashAsHex } from '@polkadot/util-crypto';

/** A raw chain spec as chopsticks' `genesis` option takes it. */
export interface RawChainSpec {
  readonly name: string;
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly genesis: { readonly raw: { readonly top: Record<string, string> } };
}

/** Storage key of `Timestamp.Now`: twox128("Timestamp") ++ twox128("Now"). */
const TIMESTAMP_NOW_KEY = xxhashAsHex('Timestamp', 128) + xxhashAsHex('Now', 128).slice(2);

/**
 * Read a raw chain spec and give its genesis a `Timestamp.Now` of `nowMs`. Without it,
 * Aura sometimes rejects block #1 ("Timestamp slot must match CurrentSlot"): the spec's
 * genesis has no timestamp, so chopsticks guesses one.
 */
export async function loadGenesis(path: string, nowMs: number): Promise<RawChainSpec> {
  let spec: RawChainSpec;
  try {
    spec = JSON.parse(await readFile(path, 'utf8')) as RawChainSpec;
  } catch (cause) {
    throw new UsageError(`cannot read the chain spec ${path}: ${(cause as Error).message}`, { cause });
  }
  if (typeof spec?.genesis?.raw?.top !== 'object') {
    throw new UsageError(`chain spec ${path} is not a raw chain spec (no genesis.raw.top)`, {
      hint: 'export it with `--raw`, or leave --chain-spec out to use the pinned subtensor spec',
    });
  }
  const now = new Uint8Array(8);
  new DataView(now.buffer).setBigUint64(0, BigInt(Math.floor(nowMs)), true);
  return {
    ...spec,
    genesis: { raw: { top: { ...spec.genesis.raw.top, [TIMESTAMP_NOW_KEY]: u8aToHex(now) } } },
  };
}
