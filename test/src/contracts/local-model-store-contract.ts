import assert from 'node:assert/strict';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { LocalModelStore, ModelId } from '@pretrain/core';
import type { ContractCase } from './contract-case.js';

/** What the {@link localModelStoreContractCases} need: a store on an empty root. */
export interface LocalModelStoreHarness {
  /** The store under test; each case uses hotkeys of its own. */
  readonly store: LocalModelStore;
  /** Release its directory (optional). */
  close?(): Promise<void>;
}

const id = (name: string, commit: string): ModelId => ({
  namespace: 'contract',
  name,
  commit: commit.repeat(40).slice(0, 40),
  hash: 'x'.repeat(44),
});

/** Put a complete model where the store says `id` of `hotkey` lives, as a finished download does. */
async function place(store: LocalModelStore, hotkey: string, model: ModelId): Promise<string> {
  const dir = store.pathFor(hotkey, model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), '{}');
  return dir;
}

/** Date `dir`, its files and its parents up to the root an hour back, as a model untouched since. */
async function age(store: LocalModelStore, dir: string): Promise<void> {
  const past = new Date(Date.now() - 60 * 60 * 1000);
  await utimes(join(dir, 'config.json'), past, past);
  for (
    let p = dir;
    relative(store.root, p) !== '' && !relative(store.root, p).startsWith('..');
    p = dirname(p)
  )
    await utimes(p, past, past);
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * The behaviour every {@link LocalModelStore} must show (docs/SUBNET.md §8): one place per
 * hotkey and commit inside its root, retrieval of complete copies only, and cleaning that
 * keeps what is referenced and what is younger than the grace period.
 */
export const localModelStoreContractCases: readonly ContractCase<LocalModelStoreHarness>[] = [
  {
    name: 'gives each hotkey and commit its own directory inside the root',
    async run({ store }) {
      const a = store.pathFor('5ContractA', id('m', 'a'));
      const b = store.pathFor('5ContractB', id('m', 'a'));
      const c = store.pathFor('5ContractA', id('m', 'b'));
      assert.equal(new Set([a, b, c]).size, 3);
      for (const path of [a, b, c]) {
        const inside = relative(store.root, path);
        assert.ok(
          inside !== '' && !inside.startsWith('..') && !isAbsolute(inside),
          `${path} is outside ${store.root}`,
        );
      }
      assert.equal(store.pathFor('5ContractA', id('m', 'a')), a);
    },
  },
  {
    name: 'retrieves a model only once it is in place',
    async run({ store }) {
      const model = id('retrieve', 'c');
      assert.equal(await store.retrieve('5ContractRetrieve', model), undefined);
      const dir = await place(store, '5ContractRetrieve', model);
      assert.equal(await store.retrieve('5ContractRetrieve', model), dir);
      assert.equal(await store.retrieve('5ContractRetrieve', id('retrieve', 'd')), undefined);
    },
  },
  {
    name: 'deletes models nobody references, keeps the referenced one',
    async run({ store }) {
      const kept = id('clean', 'e');
      const old = id('clean', 'f');
      const keptDir = await place(store, '5ContractKeep', kept);
      const oldDir = await place(store, '5ContractKeep', old);
      const goneDir = await place(store, '5ContractGone', id('clean', 'e'));
      for (const dir of [keptDir, oldDir, goneDir]) await age(store, dir);
      const deleted = await store.deleteUnreferenced(new Map([['5ContractKeep', kept]]), 60_000);
      assert.ok(await exists(keptDir), 'the referenced model was deleted');
      assert.equal(await exists(oldDir), false, 'an old commit of a kept hotkey survived');
      assert.equal(await exists(goneDir), false, 'the model of an unreferenced hotkey survived');
      for (const dir of deleted)
        assert.equal(await exists(dir), false, `${dir} reported deleted but present`);
      assert.ok(deleted.length >= 2, `deleted ${JSON.stringify(deleted)}`);
      assert.equal(await store.retrieve('5ContractGone', id('clean', 'e')), undefined);
    },
  },
  {
    name: 'keeps unreferenced models younger than the grace period',
    async run({ store }) {
      const young = await place(store, '5ContractYoung', id('young', 'a'));
      const deleted = await store.deleteUnreferenced(new Map(), 60 * 60 * 1000);
      assert.ok(await exists(young));
      assert.ok(!deleted.some((d) => young.startsWith(d)), `deleted ${JSON.stringify(deleted)}`);
    },
  },
];
