import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeModelStoreContract } from '@pretrain/conformance/vitest';
import { DirectoryModelStore } from './directory-model-store.js';
import { commitShaOf } from './directory-model-store-commit.js';
import { listLocalFiles } from './download-guards-files.js';

/** Plant a commit by writing its files under the commit directory, as a tampered store would look. */
async function plantCommit(
  store: DirectoryModelStore,
  repo: { namespace: string; name: string },
  files: { path: string; content: string | Uint8Array }[],
) {
  const staging = await mkdtemp(join(tmpdir(), 'plant-'));
  for (const file of files) {
    await mkdir(dirname(join(staging, file.path)), { recursive: true });
    await writeFile(join(staging, file.path), file.content);
  }
  const commit = await commitShaOf(await listLocalFiles(staging));
  const target = store.commitPath(repo, commit);
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { recursive: true, force: true });
  await mkdir(target);
  for (const file of files) {
    await mkdir(dirname(join(target, file.path)), { recursive: true });
    await writeFile(join(target, file.path), file.content);
  }
  await rm(staging, { recursive: true, force: true });
  return commit;
}

describeModelStoreContract('DirectoryModelStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dir-store-'));
  const store = new DirectoryModelStore(root);
  return {
    store,
    plant: (repo, files) => plantCommit(store, repo, [...files]),
    close: () => rm(root, { recursive: true, force: true }),
  };
});

describe('DirectoryModelStore on disk', () => {
  let root: string;
  let store: DirectoryModelStore;
  const repo = { namespace: 'miner', name: 'model' };
  const writeModel = async (dir: string) => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), '{"a":1}');
    await writeFile(join(dir, 'model.safetensors'), 'weights');
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dir-store-disk-'));
    store = new DirectoryModelStore(join(root, 'store'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives the same commit for the same files, wherever they are uploaded from', async () => {
    await writeModel(join(root, 'one'));
    await writeModel(join(root, 'two'));
    const first = await store.upload(join(root, 'one'), repo);
    const second = await store.upload(join(root, 'two'), repo);
    expect(second).toEqual(first);
    expect((await readFile(join(root, 'store', 'miner', 'model', 'refs', 'main'), 'utf8')).trim()).toBe(
      first.commit,
    );
  });

  it('rejects a stored file that links outside its commit', async () => {
    const commit = await plantCommit(store, repo, [{ path: 'model.safetensors', content: 'w' }]);
    await writeFile(join(root, 'secret.txt'), 'secret');
    await symlink(join(root, 'secret.txt'), join(store.commitPath(repo, commit), 'leak.json'));
    const dest = join(root, 'out-leak');
    await expect(store.download({ ...repo, commit }, dest, { maxBytes: 1000 })).rejects.toMatchObject({
      reason: 'bad-path',
    });
    await expect(lstat(dest)).rejects.toThrow();
  });

  it('uploads nothing that links outside the model directory, or that is not a regular file', async () => {
    await writeFile(join(root, 'keyfile'), 'a secret that must never be uploaded');
    const leaking = join(root, 'push-leak');
    await writeModel(leaking);
    await symlink(join(root, 'keyfile'), join(leaking, 'tokenizer.json'));
    await expect(store.upload(leaking, { ...repo, name: 'leak' })).rejects.toMatchObject({
      reason: 'bad-path',
      message: expect.stringContaining('links outside the model directory'),
    });
    const viaDir = join(root, 'push-leak-dir');
    await writeModel(viaDir);
    await symlink(root, join(viaDir, 'sub'));
    await expect(store.upload(viaDir, { ...repo, name: 'leak' })).rejects.toMatchObject({
      reason: 'bad-path',
    });
    const piped = join(root, 'push-fifo');
    await writeModel(piped);
    execFileSync('mkfifo', [join(piped, 'tokenizer.json')]);
    await expect(store.upload(piped, { ...repo, name: 'leak' })).rejects.toMatchObject({
      reason: 'bad-path',
      message: expect.stringContaining('is a FIFO'),
    });
    await expect(lstat(join(root, 'store', 'miner', 'leak'))).rejects.toThrow();
  });

  it('realizes links inside a commit as real files', async () => {
    const commit = await plantCommit(store, { ...repo, name: 'linked' }, [
      { path: 'model.safetensors', content: 'w' },
      { path: 'settings.txt', content: '{"a":1}' },
    ]);
    const commitDir = store.commitPath({ ...repo, name: 'linked' }, commit);
    await symlink('settings.txt', join(commitDir, 'config.json'));
    const dest = join(root, 'out-linked');
    await store.download({ ...repo, name: 'linked', commit }, dest, { maxBytes: 1000 });
    expect((await lstat(join(dest, 'config.json'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(dest, 'config.json'), 'utf8')).toBe('{"a":1}');
  });

  it('rejects a repo id that would leave the store directory', async () => {
    const id = { namespace: '..', name: 'etc', commit: 'a'.repeat(40) };
    await expect(store.download(id, join(root, 'out-dots'), { maxBytes: 1000 })).rejects.toMatchObject({
      reason: 'bad-path',
    });
  });
});
