// The model-store plugin outside the workspace (test/fixtures/plugins/pretrain-store-tarball)
// proves itself as any store must: loaded the way the CLI loads it, it passes the ModelStore
// contract suite, hostile names planted straight into its tarballs included.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFromPortPlugin, loadPortPlugin, silentLogger, type ModelStore } from '@pretrain/core';
import { describeModelStoreContract, type PlantedFile } from '@pretrain/conformance/vitest';

/** The plugin package directory, as `--model-store <path>` names it. */
export const TARBALL_PLUGIN_DIR = fileURLToPath(
  new URL('../../fixtures/plugins/pretrain-store-tarball', import.meta.url),
);

interface TarballTools {
  encodeTar(files: readonly PlantedFile[]): Uint8Array;
  storeTarball(root: string, repo: { namespace: string; name: string }, tar: Uint8Array): Promise<string>;
}

const tools = async (): Promise<TarballTools> => {
  const tar = (await import(pathToFileURL(join(TARBALL_PLUGIN_DIR, 'tar.js')).href)) as Pick<
    TarballTools,
    'encodeTar'
  >;
  const index = (await import(pathToFileURL(join(TARBALL_PLUGIN_DIR, 'index.js')).href)) as Pick<
    TarballTools,
    'storeTarball'
  >;
  return { encodeTar: tar.encodeTar, storeTarball: index.storeTarball };
};

const createStore = async (root: string): Promise<ModelStore> => {
  const { plugin } = await loadPortPlugin('store', TARBALL_PLUGIN_DIR, { cwd: root });
  const context = { cwd: root, logger: silentLogger, credentials: {} };
  return createFromPortPlugin('store', plugin, { location: 'store' }, context);
};

describeModelStoreContract(
  'pretrain-store-tarball (a plugin outside the workspace)',
  async () => {
    const root = await mkdtemp(join(tmpdir(), 'tarball-store-'));
    const { encodeTar, storeTarball } = await tools();
    return {
      store: await createStore(root),
      plant: (repo, files) => storeTarball(join(root, 'store'), { ...repo }, encodeTar(files)),
      close: () => rm(root, { recursive: true, force: true }),
    };
  },
  { plantsAnyName: true },
);

describe('pretrain-store-tarball: what a tarball may hold', () => {
  it('refuses a link and a damaged header inside a stored tarball, writing nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tarball-store-bad-'));
    try {
      const { encodeTar, storeTarball } = await tools();
      const store = await createStore(root);
      const repo = { namespace: 'hostile', name: 'model' };
      const good = Buffer.from(
        encodeTar([
          { path: 'config.json', content: '{}' },
          { path: 'model.safetensors', content: 'x' },
        ]),
      );
      const link = Buffer.from(good);
      link[156] = 0x32; // '2': a symbolic link, with a checksum that matches again
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (link[i] as number);
      link.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
      const damaged = Buffer.from(good);
      damaged[0] = 0x44; // a name byte changed: the checksum no longer matches
      for (const [tar, reason] of [
        [link, 'bad-path'],
        [damaged, 'corrupt'],
      ] as const) {
        const commit = await storeTarball(join(root, 'store'), repo, tar);
        const dest = join(root, `out-${commit}`);
        const error = await store
          .download({ ...repo, commit }, dest, { maxBytes: 1_000_000 })
          .catch((e: unknown) => e as { reason?: string });
        expect(error).toMatchObject({ reason });
        await expect(stat(dest)).rejects.toThrow();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
