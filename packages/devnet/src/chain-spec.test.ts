import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@pretrain/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledChainSpecPath, PINNED_CHAIN_SPEC, resolveChainSpec } from './chain-spec.js';

describe('resolveChainSpec', () => {
  let fixture: string;
  let server: Server;
  let base: string;
  const served = new Map<string, Uint8Array>();

  beforeAll(async () => {
    const found = await resolveChainSpec({ cacheDir: await mkdtemp(join(tmpdir(), 'pretrain-empty-')) });
    // The pinned spec ships inside the package, so the devnet works offline.
    expect(found).toEqual({ path: bundledChainSpecPath(), source: 'bundled' });
    fixture = found.path;
    const bytes = await readFile(fixture);
    served.set('/good.json', bytes);
    served.set('/tampered.json', Buffer.concat([bytes, Buffer.from(' ')]));
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('prefers --chain-spec, then PRETRAIN_CHAIN_SPEC', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pretrain-spec-'));
    const [a, b] = [join(dir, 'a.json'), join(dir, 'b.json')];
    await writeFile(a, '{}');
    await writeFile(b, '{}');
    expect(await resolveChainSpec({ chainSpec: a, envChainSpec: b })).toEqual({ path: a, source: 'flag' });
    expect(await resolveChainSpec({ envChainSpec: b })).toEqual({ path: b, source: 'env' });
    await expect(resolveChainSpec({ chainSpec: join(dir, 'missing.json') })).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('downloads the pinned spec, verifies its sha256, caches it and then uses the cache', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'pretrain-cache-'));
    const sources = {
      cacheDir,
      bundled: false as const,
      downloadUrl: `${base}/good.json`,
    };
    const downloaded = await resolveChainSpec(sources);
    expect(downloaded).toEqual({ path: join(cacheDir, PINNED_CHAIN_SPEC.fileName), source: 'download' });
    // Buffer.equals: a deep toEqual over 1.7 MB takes seconds.
    expect((await readFile(downloaded.path)).equals(await readFile(fixture))).toBe(true);
    served.delete('/good.json');
    expect((await resolveChainSpec(sources)).source).toBe('cache');
    served.set('/good.json', await readFile(fixture));
  });

  it('skips a damaged shipped copy and falls back to the cache, then the download', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'pretrain-cache-'));
    const damaged = join(cacheDir, 'damaged.json');
    await writeFile(damaged, Buffer.concat([await readFile(fixture), Buffer.from(' ')]));
    const found = await resolveChainSpec({ cacheDir, bundled: damaged, downloadUrl: `${base}/good.json` });
    expect(found.source).toBe('download');
  });

  it('refuses a download whose sha256 differs, and a failed download', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'pretrain-cache-'));
    const tampered = await resolveChainSpec({
      cacheDir,
      bundled: false as const,
      downloadUrl: `${base}/tampered.json`,
    }).catch((e) => e);
    expect(tampered).toBeInstanceOf(UsageError);
    expect(tampered.message).toContain(`expected ${PINNED_CHAIN_SPEC.sha256}`);
    const missing = await resolveChainSpec({
      cacheDir,
      bundled: false as const,
      downloadUrl: `${base}/none.json`,
    }).catch((e) => e);
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toContain('HTTP 404');
  });
});
