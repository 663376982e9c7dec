import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRejectedError } from '@pretrain/backend-sdk';
import type { ModelId } from '../model/model-id.js';
import { describeLocalModelStoreContract } from '@pretrain/conformance/vitest';
import { DiskLocalModelStore } from './disk-local-model-store.js';

describeLocalModelStoreContract('DiskLocalModelStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'disk-local-contract-'));
  return { store: new DiskLocalModelStore(root), close: () => rm(root, { recursive: true, force: true }) };
});

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const id = (name: string, commit: string | undefined = A): ModelId => ({
  namespace: 'ns',
  name,
  commit,
  hash: 'h',
});
const HOUR = 3_600_000;

let root: string;
let store: DiskLocalModelStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-store-'));
  store = new DiskLocalModelStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Write a model as a finished download would leave it. */
async function place(hotkey: string, model: ModelId): Promise<string> {
  const dir = store.pathFor(hotkey, model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), '{}');
  return dir;
}

/** Make `path` and everything under it look untouched for `ms`. */
async function age(path: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  const info = await stat(path);
  if (info.isDirectory()) for (const name of await readdir(path)) await age(join(path, name), ms);
  await utimes(path, when, when);
}

describe('DiskLocalModelStore layout', () => {
  it('uses the HF cache layout per hotkey', () => {
    expect(store.pathFor('5Hk', id('m'))).toBe(join(root, 'models', '5Hk', 'models--ns--m', 'snapshots', A));
  });

  it('refuses ids that would escape the store or lack a commit', () => {
    expect(() => store.pathFor('..', id('m'))).toThrow(ModelRejectedError);
    expect(() => store.pathFor('hk', { namespace: '..', name: 'x', commit: A })).toThrow(/namespace '..'/);
    expect(() => store.pathFor('hk', id('a/b'))).toThrow(/name 'a\/b'/);
    expect(() => store.pathFor('hk', id('m', '../../x'))).toThrow(/commit/);
    const noCommit = { namespace: 'ns', name: 'm' };
    expect(() => store.pathFor('hk', noCommit)).toThrow(
      expect.objectContaining({ reason: 'missing-commit' }),
    );
  });
});

describe('DiskLocalModelStore.retrieve', () => {
  it('finds a complete snapshot and nothing else', async () => {
    expect(await store.retrieve('hk', id('m'))).toBeUndefined();
    const dir = await place('hk', id('m'));
    expect(await store.retrieve('hk', id('m'))).toBe(dir);
    expect(await store.retrieve('hk', id('m', B))).toBeUndefined();
    expect(await store.retrieve('other', id('m'))).toBeUndefined();
  });

  it('ignores a staging directory that was never renamed into place', async () => {
    const staging = join(store.pathFor('hk', id('m')), '..', `.${A}.partial-x`);
    await mkdir(staging, { recursive: true });
    expect(await store.retrieve('hk', id('m'))).toBeUndefined();
  });

  it('does not take a file for a snapshot', async () => {
    const path = store.pathFor('hk', id('m'));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, 'not a dir');
    expect(await store.retrieve('hk', id('m'))).toBeUndefined();
  });
});

describe('DiskLocalModelStore.deleteUnreferenced', () => {
  it('deletes departed hotkeys and old commits once out of grace, keeping referenced ones', async () => {
    const kept = await place('keep', id('m'));
    const oldCommit = await place('keep', id('m', B));
    const otherRepo = await place('keep', id('other'));
    await place('gone', id('m'));
    const staging = join(kept, '..', `.${B}.partial-1`);
    await mkdir(staging);
    await age(root, 2 * HOUR);

    const deleted = await store.deleteUnreferenced(new Map([['keep', id('m')]]), HOUR);
    expect(deleted.sort()).toEqual([join(root, 'models', 'gone'), oldCommit, otherRepo, staging].sort());
    expect(await store.retrieve('keep', id('m'))).toBe(kept);
  });

  it('keeps anything touched within the grace period, files or directories', async () => {
    await place('gone', id('m'));
    const fresh = await place('keep', id('m', B));
    await age(root, 2 * HOUR);
    await writeFile(join(fresh, 'new.bin'), 'x');
    const emptyStaging = join(fresh, '..', `.${A}.partial-2`);
    await mkdir(emptyStaging);

    const deleted = await store.deleteUnreferenced(new Map([['keep', id('m')]]), HOUR);
    expect(deleted).toEqual([join(root, 'models', 'gone')]);
    expect((await stat(fresh)).isDirectory()).toBe(true);
    expect((await stat(emptyStaging)).isDirectory()).toBe(true);
  });

  it('removes a symlinked directory as a link, leaving its target', async () => {
    const target = await mkdtemp(join(tmpdir(), 'local-store-target-'));
    try {
      await writeFile(join(target, 'f'), 'x');
      await mkdir(join(root, 'models'), { recursive: true });
      await symlink(target, join(root, 'models', 'linked'));
      await age(target, 2 * HOUR);
      expect(await store.deleteUnreferenced(new Map(), HOUR)).toEqual([join(root, 'models', 'linked')]);
      expect((await stat(join(target, 'f'))).isFile()).toBe(true);
    } finally {
      await rm(target, { recursive: true, force: true });
    }
  });

  it('does nothing on an empty store', async () => {
    expect(await store.deleteUnreferenced(new Map(), 0)).toEqual([]);
  });
});
