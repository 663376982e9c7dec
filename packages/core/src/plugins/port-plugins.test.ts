import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORT_PLUGIN_API_VERSION, silentLogger, type Dataset } from '../contracts/index.js';
import { PluginContractError, PluginNotFoundError, UsageError, z } from '@pretrain/backend-sdk';
import { defineDatasetPlugin, defineStorePlugin } from './define-port-plugin.js';
import { createFromPortPlugin, loadPortPlugin, parsePluginChoice } from './load-port-plugin.js';
import { resolvePluginCandidates } from './plugin-names.js';

const context = { cwd: '/', logger: silentLogger, credentials: {} };
let root: string;

// A store plugin as a third party writes it: plain ESM, no build, the host's define* not needed.
const storeSource = (kind: string, apiVersion: number) => `export default {
  meta: { name: 'planted', version: '1.0.0', apiVersion: ${apiVersion}, kind: ${JSON.stringify(kind)} },
  async createModelStore(options) { return { options }; },
};
`;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-port-plugins-'));
  const pkg = (name: string, source: string) =>
    Promise.all([
      put(`node_modules/${name}/package.json`, JSON.stringify({ name, type: 'module', main: 'index.js' })),
      put(`node_modules/${name}/index.js`, source),
    ]);
  await pkg('pretrain-store-planted', storeSource('store', PORT_PLUGIN_API_VERSION));
  await pkg('@acme/pretrain-store-s3', storeSource('store', PORT_PLUGIN_API_VERSION));
  await pkg('pretrain-store-wrongkind', storeSource('dataset', PORT_PLUGIN_API_VERSION));
  await pkg('pretrain-store-future', storeSource('store', PORT_PLUGIN_API_VERSION + 1));
  await put('local/store.js', storeSource('store', PORT_PLUGIN_API_VERSION));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('resolvePluginCandidates', () => {
  it.each([
    ['store', 'tarball', 'pretrain-store-tarball'],
    ['store', '@acme', '@acme/pretrain-store'],
    ['store', '@acme/s3', '@acme/pretrain-store-s3'],
    ['store', 'pretrain-store-x', 'pretrain-store-x'],
    ['dataset', 'c4', 'pretrain-dataset-c4'],
    ['dataset', '@pretrain/dataset-c4', '@pretrain/dataset-c4'],
    ['chain', 'mock', 'pretrain-chain-mock'],
    ['backend', 'onnx', '@pretrain/backend-onnx'],
    ['store', './x.js', './x.js'],
  ] as const)('maps %s %s to %s (the rule backends follow)', (kind, name, expected) => {
    expect(resolvePluginCandidates(kind, name)).toEqual([expected]);
  });

  it('refuses a malformed name, naming the kind', () => {
    expect(() => resolvePluginCandidates('store', 'S3 bucket')).toThrow(/invalid store name "S3 bucket"/);
    expect(() => resolvePluginCandidates('dataset', ' ')).toThrow(UsageError);
  });
});

describe('parsePluginChoice', () => {
  it.each([
    ['hf', { name: 'hf' }],
    ['hf:https://mirror.example/x', { name: 'hf', location: 'https://mirror.example/x' }],
    ['dir:./models', { name: 'dir', location: './models' }],
    ['tarball:', { name: 'tarball' }],
    ['@acme/s3:bucket', { name: '@acme/s3', location: 'bucket' }],
    ['./plugins/store.js', { name: './plugins/store.js' }],
    ['/abs/dir:with-colon', { name: '/abs/dir:with-colon' }],
  ])('splits %j', (value, expected) => {
    expect(parsePluginChoice(value)).toEqual(expected);
  });
});

describe('define*Plugin', () => {
  const plugin = defineStorePlugin({
    meta: { name: 'typed', version: '0.1.0', apiVersion: PORT_PLUGIN_API_VERSION },
    options: z.object({ shards: z.int().min(1).default(2).describe('tarballs per model') }),
    async create(options) {
      return { options } as never;
    },
  });

  it('validates and coerces options against the schema, location included', async () => {
    expect(plugin.meta.kind).toBe('store');
    const made = (await createFromPortPlugin(
      'store',
      plugin,
      { location: '/srv', shards: '3' },
      context,
    )) as unknown;
    expect(made).toEqual({ options: { location: '/srv', shards: 3 } });
    const defaulted = (await createFromPortPlugin('store', plugin, {}, context)) as unknown;
    expect(defaulted).toEqual({ options: { shards: 2 } });
  });

  it('refuses unknown and ill-typed options with the plugin kind and name', async () => {
    await expect(createFromPortPlugin('store', plugin, { colour: 'red' }, context)).rejects.toThrow(
      /store typed has no option "colour"/,
    );
    await expect(createFromPortPlugin('store', plugin, { shards: '0' }, context)).rejects.toThrow(
      /store option "shards" of store typed: expected integer 1\.\./,
    );
  });

  it('passes the context to the factory', async () => {
    let seen: unknown;
    const dataset = defineDatasetPlugin({
      meta: { name: 'ctx', version: '0.1.0', apiVersion: PORT_PLUGIN_API_VERSION },
      async create(_options, ctx): Promise<Dataset> {
        seen = ctx;
        return { name: 'ctx', samplePages: async () => [] };
      },
    });
    await createFromPortPlugin('dataset', dataset, {}, context);
    expect(seen).toBe(context);
  });
});

describe('loadPortPlugin', () => {
  it('prefers the host built-ins, then resolves packages and paths from cwd by the naming rule', async () => {
    const builtin = defineStorePlugin({
      meta: { name: 'mem', version: '0', apiVersion: PORT_PLUGIN_API_VERSION },
      create: async () => ({}) as never,
    });
    const project = join(root, 'project');
    await mkdir(project, { recursive: true });
    const builtins = new Map([['mem', builtin]]);
    expect((await loadPortPlugin('store', 'mem', { cwd: project, builtins })).plugin).toBe(builtin);
    const planted = await loadPortPlugin('store', 'planted', { cwd: project, builtins });
    expect(planted.specifier).toBe('pretrain-store-planted');
    expect(planted.plugin.meta.name).toBe('planted');
    expect((await loadPortPlugin('store', '@acme/s3', { cwd: project })).specifier).toBe(
      '@acme/pretrain-store-s3',
    );
    expect((await loadPortPlugin('store', '../local/store.js', { cwd: project })).plugin.meta.kind).toBe(
      'store',
    );
  });

  it('refuses a plugin of another kind or API version, and says what was tried when none is found', async () => {
    await expect(loadPortPlugin('store', 'wrongkind', { cwd: root })).rejects.toThrow(PluginContractError);
    await expect(loadPortPlugin('store', 'wrongkind', { cwd: root })).rejects.toThrow(
      /`meta.kind` is "dataset"/,
    );
    await expect(loadPortPlugin('store', 'future', { cwd: root })).rejects.toThrow(/API version 2/);
    const missing = await loadPortPlugin('store', 'nowhere', { cwd: root }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PluginNotFoundError);
    expect((missing as PluginNotFoundError).code).toBe('PRETRAIN_PLUGIN_NOT_FOUND');
    expect((missing as PluginNotFoundError).message).toMatch(/cannot load store "nowhere"/);
    expect((missing as PluginNotFoundError).hint).toMatch(/npm install pretrain-store-nowhere/);
  });
});
