import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bind,
  DirectoryModelStore,
  DiskLocalModelStore,
  LocalTextDataset,
  silentLogger,
  TOKENS,
  type ModelStore,
} from '@pretrain/core';
import { FalconDataset, FineWebEduDataset, HubModelStore } from '@pretrain/huggingface';
import type { CommandContext } from '../commands/cli-command.js';
import { CONFIG_SCHEMA, type PretrainConfig } from '../config/index.js';
import { CLI_TOKENS } from './cli-tokens.js';
import { composeCommand } from './compose-command.js';

const defaults = Object.fromEntries(Object.entries(CONFIG_SCHEMA).map(([k, s]) => [k, s.default]));
let cwd: string;
const closed: string[] = [];

const context = (config: Partial<PretrainConfig> = {}): CommandContext => {
  const values = { ...defaults, ...config } as PretrainConfig;
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd };
  return { io, config: values, loadedConfig: { values } as never, logger: silentLogger };
};

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-compose-'));
  await writeFile(join(cwd, 'corpus.txt'), 'one\n\ntwo\n\nthree');
  // Third-party plugins of every kind, as plain ESM: a store package found by its name, a
  // chain and a backend module by their paths. Each records its closing on globalThis.
  const record = (what: string) =>
    `globalThis.__closed ??= []; globalThis.__closed.push(${JSON.stringify(what)});`;
  await mkdir(join(cwd, 'node_modules', 'pretrain-store-memo'), { recursive: true });
  await writeFile(
    join(cwd, 'node_modules', 'pretrain-store-memo', 'package.json'),
    JSON.stringify({ name: 'pretrain-store-memo', type: 'module', exports: './index.js' }),
  );
  await writeFile(
    join(cwd, 'node_modules', 'pretrain-store-memo', 'index.js'),
    `export default {
  meta: { name: 'memo', version: '1.0.0', apiVersion: 1, kind: 'store' },
  async createModelStore(options, context) {
    return { options, cwd: context.cwd, upload() {}, download() {} };
  },
};
`,
  );
  await writeFile(
    join(cwd, 'chain.js'),
    `export default {
  meta: { name: 'paper', version: '1.0.0', apiVersion: 1, kind: 'chain' },
  async createChainClient(options) {
    return { location: options.location, async close() { ${record('chain')} } };
  },
};
`,
  );
  await writeFile(
    join(cwd, 'backend.js'),
    `export default {
  meta: { name: 'paper', version: '1.0.0', apiVersion: 1 },
  async createLossBackend(options) {
    return { options, async dispose() { ${record('backend')} } };
  },
};
`,
  );
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

describe('composeCommand', () => {
  it('binds the built-in ports the flags name', async () => {
    const c = composeCommand(context(), {
      modelStore: 'dir:store',
      dataset: 'local:corpus.txt',
      localModelDir: join(cwd, 'validator'),
    });
    const store = await c.resolve(TOKENS.ModelStore);
    expect(store).toBeInstanceOf(DirectoryModelStore);
    expect((store as DirectoryModelStore).root).toBe(join(cwd, 'store'));
    expect(await c.resolve(TOKENS.Dataset)).toBeInstanceOf(LocalTextDataset);
    expect(await c.resolve(TOKENS.LocalModelStore)).toBeInstanceOf(DiskLocalModelStore);
    // A chosen dataset serves every competition.
    const datasetFor = await c.resolve(CLI_TOKENS.DatasetFor);
    expect(await datasetFor('falcon')).toBe(await c.resolve(TOKENS.Dataset));
    expect(c.has(TOKENS.Tokenizer)).toBe(false);
    await c.dispose();
  });

  it('defaults to the hub, and gives each competition its own dataset without --dataset', async () => {
    const c = composeCommand(context({ hfToken: 'hf_secret' }));
    expect(await c.resolve(TOKENS.ModelStore)).toBeInstanceOf(HubModelStore);
    const datasetFor = await c.resolve(CLI_TOKENS.DatasetFor);
    expect(await datasetFor('falcon')).toBeInstanceOf(FalconDataset);
    expect(await datasetFor('fineweb-edu2')).toBeInstanceOf(FineWebEduDataset);
    expect(await datasetFor('falcon')).toBe(await datasetFor('falcon'));
    expect(c.has(TOKENS.Dataset)).toBe(false);
  });

  it('loads third-party plugins by the naming rule, with their location and options', async () => {
    const c = composeCommand(context({ modelStoreOptions: { shards: 4 } }), {
      modelStore: 'memo:/srv/models',
    });
    const store = (await c.resolve(TOKENS.ModelStore)) as unknown as { options: unknown; cwd: string };
    expect(store.options).toEqual({ shards: 4, location: '/srv/models' });
    expect(store.cwd).toBe(cwd);
  });

  it('connects the configured chain plugin to the configured network and closes what it created', async () => {
    const g = globalThis as { __closed?: string[] };
    g.__closed = closed;
    const c = composeCommand(context({ chain: './chain.js', network: 'devnet', backend: './backend.js' }));
    const chain = (await c.resolve(TOKENS.ChainClient)) as unknown as { location: string };
    expect(chain.location).toBe('ws://127.0.0.1:9945');
    const backend = (await c.resolve(TOKENS.LossBackend)) as unknown as { options: unknown };
    expect(backend.options).toEqual({ device: 'cpu' });
    await c.dispose();
    expect(closed).toEqual(['backend', 'chain']);
  });

  it('lets a test rebind a port in a child scope; what depends on it follows', async () => {
    const fake = { upload: async () => undefined, download: async () => undefined } as unknown as ModelStore;
    const root = composeCommand(context(), { modelStore: 'dir:store' });
    const child = root.child([bind(TOKENS.ModelStore, { value: fake })]);
    expect(await child.resolve(TOKENS.ModelStore)).toBe(fake);
    expect(await root.resolve(TOKENS.ModelStore)).toBeInstanceOf(DirectoryModelStore);
  });
});
