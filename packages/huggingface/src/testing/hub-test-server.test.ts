import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commit,
  createRepo,
  downloadFile,
  HubApiError,
  listFiles,
  modelInfo,
  pathsInfo,
  snapshotDownload,
  uploadFiles,
  whoAmI,
} from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetryingFetch } from '../http/retrying-fetch.js';
import { startHubTestServer, type HubTestServer } from './hub-test-server.js';

const accessToken = 'hf_server_test';

/** The real client library against the double: the calls the hub store and users make. */
describe('hub test server with @huggingface/hub', () => {
  let server: HubTestServer;
  let hub: { hubUrl: string; accessToken: string };
  const repo = { type: 'model' as const, name: 'testuser/lib' };
  const weights = new Uint8Array(3000).map((_, i) => i % 251);
  let sha: string;

  beforeAll(async () => {
    server = await startHubTestServer({ token: accessToken });
    hub = { hubUrl: server.url, accessToken };
    await createRepo({ ...hub, repo });
    const out = await uploadFiles({
      ...hub,
      repo,
      useXet: false,
      files: [
        { path: 'config.json', content: new Blob(['{"v":1}']) },
        { path: 'sub/model.safetensors', content: new Blob([weights]) },
      ],
    });
    sha = out?.commit.oid as string;
  });
  afterAll(() => server.close());

  it('answers whoami, and 401 without the token', async () => {
    expect(await whoAmI(hub)).toMatchObject({ name: 'testuser', type: 'user' });
    await expect(whoAmI({ hubUrl: server.url, accessToken: 'hf_wrong' })).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('answers 409 to creating an existing repo', async () => {
    await expect(createRepo({ ...hub, repo })).rejects.toMatchObject({ statusCode: 409 });
  });

  it('pins a commit: revision, recursive tree with LFS sizes, paths-info', async () => {
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(
      await modelInfo({ ...hub, name: repo.name, revision: sha, additionalFields: ['sha'] }),
    ).toMatchObject({ sha });
    const files = [];
    for await (const f of listFiles({ ...hub, repo, revision: sha, recursive: true })) files.push(f);
    expect(files.map((f) => `${f.type} ${f.path}`).sort()).toEqual([
      'directory sub',
      'file .gitattributes',
      'file config.json',
      'file sub/model.safetensors',
    ]);
    expect(files.find((f) => f.path === 'sub/model.safetensors')?.lfs?.size).toBe(3000);
    const info = await pathsInfo({ ...hub, repo, revision: sha, paths: ['config.json'], expand: true });
    expect(info[0]).toMatchObject({ path: 'config.json', size: 7, lastCommit: { id: sha } });
  });

  it('resolves files with LFS redirects and ranges', async () => {
    const blob = await downloadFile({
      ...hub,
      repo,
      revision: sha,
      path: 'sub/model.safetensors',
      xet: false,
    });
    expect(new Uint8Array(await (blob as Blob).arrayBuffer())).toEqual(weights);
    expect(new Uint8Array(await (blob as Blob).slice(10, 20).arrayBuffer())).toEqual(weights.slice(10, 20));
    expect(server.requests.some((r) => r.path.startsWith('/lfs-download/') && r.status === 206)).toBe(true);
    expect(await downloadFile({ ...hub, repo, revision: sha, path: 'missing.json' })).toBeNull();
  });

  it('writes the cache layout with snapshotDownload', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'hub-cache-'));
    try {
      const snapshot = await snapshotDownload({ ...hub, repo, revision: sha, cacheDir });
      expect(snapshot).toContain(join('snapshots', sha));
      expect(await readlink(join(snapshot, 'config.json'))).toContain('blobs');
      expect(await readFile(join(snapshot, 'config.json'), 'utf8')).toBe('{"v":1}');
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });

  it('answers 404 for a missing revision or repo, and 412 for a stale parent commit', async () => {
    await expect(modelInfo({ ...hub, name: repo.name, revision: 'f'.repeat(40) })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(modelInfo({ ...hub, name: 'nobody/none' })).rejects.toBeInstanceOf(HubApiError);
    await expect(
      commit({
        ...hub,
        repo,
        title: 'stale',
        parentCommit: '0'.repeat(40),
        operations: [{ operation: 'addOrUpdate', path: 'x.txt', content: new Blob(['x']) }],
      }),
    ).rejects.toMatchObject({ statusCode: 412 });
  });

  it('injects 429 with Retry-After and 5xx, which the retrying fetch rides out', async () => {
    server.inject({ path: '/api/whoami-v2', status: 429, headers: { 'Retry-After': '0' } });
    server.inject({ path: '/api/whoami-v2', status: 503 });
    const fetch = createRetryingFetch({ attempts: 3, baseDelayMs: 1 });
    expect(await whoAmI({ ...hub, fetch })).toMatchObject({ name: 'testuser' });
    const statuses = server.requests.filter((r) => r.path === '/api/whoami-v2').map((r) => r.status);
    expect(statuses.slice(-3)).toEqual([429, 503, 200]);
  });
});
