import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeDatasetContract } from '@pretrain/conformance/vitest';
import { startHubTestServer, type HubTestServer } from '../testing/hub-test-server.js';
import { testRowText } from '../testing/datasets-test-routes.js';
import { createHubDataset } from './create-dataset.js';
import { FalconDataset } from './falcon-dataset.js';
import { FineWebEduDataset } from './fineweb-edu-dataset.js';
import { FALCON_MAX_PAGE } from './page-draws.js';

describe('datasets-server datasets', () => {
  let server: HubTestServer;
  const fast = () => ({ baseUrl: server.url, retryDelayMs: 1, timeoutMs: 2_000 });
  const rowsRequests = () => server.requests.filter((r) => r.path === '/rows');

  beforeAll(async () => {
    server = await startHubTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.clearFaults();
    server.requests.length = 0;
  });

  it('samples Falcon pages of 100 rows of `content` at offsets in [1, 968000015]', async () => {
    const pages = await new FalconDataset(fast()).samplePages(3);
    expect(pages).toHaveLength(3);
    for (const page of pages) {
      expect(page.ref).toMatchObject({ dataset: 'tiiuae/falcon-refinedweb', config: 'default' });
      expect(page.ref.offset).toBeGreaterThanOrEqual(1);
      expect(page.ref.offset).toBeLessThanOrEqual(FALCON_MAX_PAGE);
      expect(page.documents).toHaveLength(100);
      expect(page.documents[0]).toBe(testRowText('tiiuae/falcon-refinedweb', 'default', page.ref.offset));
    }
    expect(rowsRequests()[0]?.query).toContain('limit=100');
  });

  it('samples FineWeb-Edu pages from the /size configs other than default', async () => {
    const dataset = new FineWebEduDataset(fast());
    const configs = await dataset.listConfigs();
    expect(configs.map((c) => c.config)).toEqual(['CC-MAIN-2013-20', 'CC-MAIN-2019-04', 'CC-MAIN-2024-10']);
    const pages = await dataset.samplePages(12, { seed: 'block-0xabc' });
    for (const page of pages) {
      const config = configs.find((c) => c.config === page.ref.config);
      expect(config).toBeDefined();
      expect(page.ref.offset).toBeLessThanOrEqual((config?.numRows ?? 0) - 1 - 100);
      expect(page.documents[3]).toBe(
        testRowText('HuggingFaceFW/fineweb-edu-score-2', page.ref.config as string, page.ref.offset + 3),
      );
    }
    expect(new Set(pages.map((p) => p.ref.config)).size).toBeGreaterThan(1);
    expect(server.requests.filter((r) => r.path === '/size')).toHaveLength(1);
  });

  it('draws the same pages for the same seed, and other pages for another seed or none', async () => {
    const refs = async (seed?: string) =>
      (await new FalconDataset(fast()).samplePages(4, seed === undefined ? {} : { seed })).map(
        (p) => p.ref.offset,
      );
    expect(await refs('0x1234')).toEqual(await refs('0x1234'));
    expect(await refs('0x1234')).not.toEqual(await refs('0x1235'));
    expect(await refs()).not.toEqual(await refs());
  });

  it('draws identical seeded pages in a separate node process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seeded-pages-'));
    try {
      // Run the draw code, this package's and core's SeededRandom under it, compiled as is,
      // in a fresh process.
      const files = [
        ['seeded-random', new URL('./seeded-random.ts', import.meta.url)],
        ['page-draws', new URL('./page-draws.ts', import.meta.url)],
        ['core-seeded-random', new URL('../../../core/src/dataset/seeded-random.ts', import.meta.url)],
      ] as const;
      for (const [name, url] of files) {
        const { outputText } = ts.transpileModule(await readFile(url, 'utf8'), {
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            verbatimModuleSyntax: true,
          },
        });
        const linked = outputText.replace(`from '@pretrain/core'`, `from './core-seeded-random.js'`);
        await writeFile(join(dir, `${name}.js`), linked);
      }
      await writeFile(join(dir, 'package.json'), '{"type":"module"}');
      const dataset = new FineWebEduDataset(fast());
      const configs = await dataset.listConfigs();
      await writeFile(
        join(dir, 'main.js'),
        `import { createPageRandom } from './seeded-random.js';
import { drawFalconPage, drawFineWebPage, FALCON_DATASET_ID, FINEWEB_EDU_DATASET_ID } from './page-draws.js';
const [seed, configs] = [process.argv[2], JSON.parse(process.argv[3])];
const falcon = createPageRandom(seed, FALCON_DATASET_ID);
const fineweb = createPageRandom(seed, FINEWEB_EDU_DATASET_ID);
const out = { falcon: [], fineweb: [] };
for (let i = 0; i < 5; i++) out.falcon.push(drawFalconPage(falcon));
for (let i = 0; i < 5; i++) out.fineweb.push(drawFineWebPage(fineweb, configs));
console.log(JSON.stringify(out));`,
      );
      const seed = '0x5f3a9c';
      const child = JSON.parse(
        execFileSync(process.execPath, [join(dir, 'main.js'), seed, JSON.stringify(configs)], {
          encoding: 'utf8',
        }),
      );
      const falcon = (await new FalconDataset(fast()).samplePages(5, { seed })).map((p) => p.ref);
      const fineweb = (await dataset.samplePages(5, { seed })).map((p) => p.ref);
      expect(child).toEqual({ falcon, fineweb });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries a 5xx answer on the same page', async () => {
    server.inject({ path: '/rows', status: 503, times: 2 });
    const [page] = await new FalconDataset(fast()).samplePages(1, { seed: 's' });
    const requests = rowsRequests();
    expect(requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(requests.map((r) => r.query)).size).toBe(1);
    expect(page?.documents).toHaveLength(100);
  });

  it('waits as long as a 429 Retry-After says', async () => {
    server.inject({ path: '/rows', status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    await new FalconDataset(fast()).samplePages(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(rowsRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a request that exceeds its time limit', async () => {
    server.inject({ path: '/rows', delayMs: 600 });
    const pages = await new FalconDataset({ ...fast(), timeoutMs: 200 }).samplePages(1);
    expect(pages).toHaveLength(1);
    expect(rowsRequests().length).toBe(2);
  });

  it('replaces a page whose retries run out by a newly sampled page', async () => {
    server.inject({ path: '/rows', status: 500, times: 2 });
    const pages = await new FalconDataset({ ...fast(), attempts: 2 }).samplePages(1, { seed: 'resample' });
    const offsets = rowsRequests().map((r) => new URLSearchParams(r.query).get('offset'));
    expect(offsets).toHaveLength(3);
    expect(offsets[0]).toBe(offsets[1]);
    expect(offsets[2]).not.toBe(offsets[0]);
    expect(String(pages[0]?.ref.offset)).toBe(offsets[2]);
  });

  it('gives up with a DatasetError after 10 × pages attempts', async () => {
    server.inject({ path: '/rows', status: 502, times: 1_000 });
    await expect(new FalconDataset({ ...fast(), attempts: 1 }).samplePages(2)).rejects.toMatchObject({
      code: 'PRETRAIN_DATASET',
      message: expect.stringContaining('20 attempts'),
    });
    expect(rowsRequests()).toHaveLength(20);
  });
});

describe('createHubDataset', () => {
  it('builds the dataset a criteria entry names, and refuses others', () => {
    expect(createHubDataset('falcon')).toBeInstanceOf(FalconDataset);
    expect(createHubDataset('fineweb-edu2')).toBeInstanceOf(FineWebEduDataset);
    expect(() => createHubDataset('c4')).toThrow(/Unknown dataset 'c4'/);
  });
});

// The datasets against the local datasets-server double: the contract every Dataset keeps.
for (const [name, make] of [
  ['FalconDataset', (baseUrl: string) => new FalconDataset({ baseUrl, retryDelayMs: 1, timeoutMs: 2_000 })],
  [
    'FineWebEduDataset',
    (baseUrl: string) => new FineWebEduDataset({ baseUrl, retryDelayMs: 1, timeoutMs: 2_000 }),
  ],
] as const) {
  describeDatasetContract(`${name} against the datasets-server double`, async () => {
    const server = await startHubTestServer();
    return { dataset: make(server.url), close: () => server.close() };
  });
}
