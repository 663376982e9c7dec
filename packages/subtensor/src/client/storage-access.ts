import type { ApiDecoration, QueryableStorageEntry } from '@polkadot/api/types';

/** A query API: the live one or one pinned at a block (`api.at(hash)`). */
export type QueryApi = Pick<ApiDecoration<'promise'>, 'query' | 'consts' | 'registry'>;

/** A storage item by pallet and name, or undefined when this runtime has no such item. */
export function storageItem(
  api: QueryApi,
  pallet: string,
  name: string,
): QueryableStorageEntry<'promise'> | undefined {
  return api.query[pallet]?.[name] as QueryableStorageEntry<'promise'> | undefined;
}

/** Like {@link storageItem} but required: a missing item is reported by name. */
export function requireStorage(
  api: QueryApi,
  pallet: string,
  name: string,
): QueryableStorageEntry<'promise'> {
  const item = storageItem(api, pallet, name);
  if (item === undefined) throw new Error(`this runtime has no storage ${pallet}.${name}`);
  return item;
}

/** How many keys a storage map takes (0 for a plain value). */
export function keyCount(item: QueryableStorageEntry<'promise'>): number {
  const type = item.creator.meta.type;
  return type.isMap ? type.asMap.hashers.length : 0;
}

/** A codec's primitive value as a number (u16, u64, Compact…). */
export function toNumber(value: { toPrimitive(): unknown } | undefined): number {
  const primitive = value?.toPrimitive();
  return typeof primitive === 'number' ? primitive : Number(primitive ?? 0);
}
