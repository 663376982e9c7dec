import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOSS_BACKEND_API_VERSION } from '../contracts/index.js';
import { BackendNotFoundError, PluginContractError } from '@pretrain/backend-sdk';
import { loadBackendPlugin, locateBackendPlugin } from './load-backend-plugin.js';

let root: string;
let project: string;

const pluginSource = (name: string, apiVersion: number) => `export default {
  meta: { name: ${JSON.stringify(name)}, version: '1.2.3', apiVersion: ${apiVersion} },
  async createLossBackend() { return { name: ${JSON.stringify(name)} }; },
  async probe() { return { available: true, detail: 'ok' }; },
};
`;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

async function putPackage(name: string, manifest: object, files: Record<string, string>): Promise<void> {
  await put(`node_modules/${name}/package.json`, JSON.stringify({ name, type: 'module', ...manifest }));
  for (const [file, content] of Object.entries(files)) await put(`node_modules/${name}/${file}`, content);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-plugins-'));
  // The project sits below the node_modules folder, so lookup must walk up like Node's.
  project = join(root, 'project', 'sub');
  await mkdir(project, { recursive: true });
  const v = LOSS_BACKEND_API_VERSION;
  await putPackage(
    'pretrain-backend-good',
    { exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } } },
    { 'dist/index.js': pluginSource('good', v) },
  );
  await putPackage('@acme/pretrain-backend', { main: './main.js' }, { 'main.js': pluginSource('acme', v) });
  await putPackage(
    '@acme/pretrain-backend-fast',
    { exports: './entry.js' },
    { 'entry.js': pluginSource('fast', v) },
  );
  await putPackage('pretrain-backend-plain', {}, { 'index.js': pluginSource('plain', v) });
  await putPackage('pretrain-backend-old', {}, { 'index.js': pluginSource('old', v - 1) });
  await putPackage('pretrain-backend-future', {}, { 'index.js': pluginSource('future', v + 1) });
  await putPackage(
    'pretrain-backend-shapeless',
    {},
    { 'index.js': 'export default { meta: { name: "x" } };\n' },
  );
  await putPackage('pretrain-backend-named', {}, { 'index.js': 'export const meta = {};\n' });
  await putPackage('pretrain-backend-broken', {}, { 'index.js': 'throw new Error("libfoo.so missing");\n' });
  await putPackage('pretrain-backend-unbuilt', { exports: { '.': { import: './dist/index.js' } } }, {});
  await putPackage('pretrain-backend-cjsonly', { exports: { '.': { require: './index.cjs' } } }, {});
  await put('project/local-plugin.js', pluginSource('local', v));
  // Package directories given as paths (`--backend ./dir`), resolved through package.json.
  await put(
    'project/pkg-exports/package.json',
    JSON.stringify({ type: 'module', exports: { '.': { import: './dist/entry.js' } }, main: './wrong.js' }),
  );
  await put('project/pkg-exports/dist/entry.js', pluginSource('dir-exports', v));
  await put('project/pkg-main/package.json', JSON.stringify({ type: 'module', main: 'lib/main.js' }));
  await put('project/pkg-main/lib/main.js', pluginSource('dir-main', v));
  await put('project/pkg-unbuilt/package.json', JSON.stringify({ exports: './dist/index.js' }));
  await put('project/no-manifest/index.js', pluginSource('none', v));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadBackendPlugin', () => {
  it.each([
    ['good', 'good', 'pretrain-backend-good'],
    ['@acme', 'acme', '@acme/pretrain-backend'],
    ['@acme/fast', 'fast', '@acme/pretrain-backend-fast'],
    ['plain', 'plain', 'pretrain-backend-plain'],
  ])('loads %s from the node_modules above the working directory', async (name, metaName, specifier) => {
    const located = await locateBackendPlugin(name, { cwd: project });
    expect(located.plugin.meta.name).toBe(metaName);
    expect(located.specifier).toBe(specifier);
    expect(await located.plugin.probe?.()).toEqual({ available: true, detail: 'ok' });
  });

  it('loads a relative path from the working directory and an absolute one', async () => {
    expect((await loadBackendPlugin('../local-plugin.js', { cwd: project })).meta.name).toBe('local');
    const absolute = join(root, 'project', 'local-plugin.js');
    expect((await loadBackendPlugin(absolute, { cwd: tmpdir() })).meta.name).toBe('local');
  });

  it('loads a package directory given as a path through its package.json, exports before main', async () => {
    const exports = await locateBackendPlugin('../pkg-exports', { cwd: project });
    expect([exports.plugin.meta.name, exports.file]).toEqual([
      'dir-exports',
      join(root, 'project/pkg-exports/dist/entry.js'),
    ]);
    expect((await loadBackendPlugin(join(root, 'project/pkg-main'), { cwd: tmpdir() })).meta.name).toBe(
      'dir-main',
    );
  });

  it.each([
    ['../pkg-unbuilt', 'is missing (package not built?)'],
    ['../no-manifest', 'is a directory without a package.json'],
  ])('explains why the directory %s cannot load', async (path, reason) => {
    const error = (await loadBackendPlugin(path, { cwd: project }).catch(
      (e: unknown) => e,
    )) as BackendNotFoundError;
    expect(error).toBeInstanceOf(BackendNotFoundError);
    expect(error.tried[0]?.reason).toContain(reason);
  });

  it('lists what it tried and how to install when nothing resolves', async () => {
    const error = await loadBackendPlugin('missing', { cwd: project }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendNotFoundError);
    const notFound = error as BackendNotFoundError;
    expect(notFound.message).toBe(`cannot load backend "missing" from ${project}`);
    expect(notFound.tried).toEqual([
      { specifier: 'pretrain-backend-missing', reason: `not installed (looked from ${project})` },
    ]);
    expect(notFound.hint).toContain('npm install pretrain-backend-missing');
  });

  it('names the package to install for a known backend that is absent', async () => {
    const error = (await loadBackendPlugin('tfjs', { cwd: project }).catch(
      (e: unknown) => e,
    )) as BackendNotFoundError;
    expect(error.tried.map((t) => t.specifier)).toEqual(['@pretrain/backend-tfjs']);
    expect(error.hint).toContain('npm install @pretrain/backend-tfjs');
  });

  it('does not find a package installed only beside the working directory', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'pretrain-elsewhere-'));
    try {
      await expect(loadBackendPlugin('good', { cwd: elsewhere })).rejects.toBeInstanceOf(
        BackendNotFoundError,
      );
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it.each([
    ['pretrain-backend-unbuilt', 'unbuilt', 'is missing (package not built?)'],
    ['pretrain-backend-cjsonly', 'cjsonly', 'exports no "." entry for import'],
    ['pretrain-backend-broken', 'broken', 'libfoo.so missing'],
    ['./nope.js', './nope.js', 'no file at'],
  ])('explains why %s cannot load', async (specifier, name, reason) => {
    const error = (await loadBackendPlugin(name, { cwd: project }).catch(
      (e: unknown) => e,
    )) as BackendNotFoundError;
    expect(error).toBeInstanceOf(BackendNotFoundError);
    expect(error.tried).toHaveLength(1);
    expect(error.tried[0]?.specifier).toBe(specifier);
    expect(error.tried[0]?.reason).toContain(reason);
  });

  it('refuses a plugin built for another API version, naming both versions', async () => {
    const v = LOSS_BACKEND_API_VERSION;
    for (const [name, version] of [
      ['old', v - 1],
      ['future', v + 1],
    ] as const) {
      const error = await loadBackendPlugin(name, { cwd: project }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginContractError);
      expect((error as Error).message).toBe(
        `pretrain-backend-${name} (${name} 1.2.3) implements backend API version ${version}, ` +
          `but this @pretrain/core implements version ${v}`,
      );
    }
  });

  it('refuses modules that are not shaped like a plugin', async () => {
    await expect(loadBackendPlugin('shapeless', { cwd: project })).rejects.toThrow(
      'pretrain-backend-shapeless is not a pretrain backend plugin: `meta.version` is not a non-empty string',
    );
    await expect(loadBackendPlugin('named', { cwd: project })).rejects.toThrow(
      'pretrain-backend-named is not a pretrain backend plugin: it has no default-exported object',
    );
  });
});
