import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeModelStoreContract } from '@pretrain/conformance/vitest';
import { startHubTestServer, type HubTestServer } from '../testing/hub-test-server.js';
import { HubModelStore } from './hub-model-store.js';

const TOKEN = 'hf_test_token';

// Independent oracle (hashlib + os.walk over a copy holding only the named files):
//   /usr/bin/python3 packages/core/test-support/dir_hash.py <dir> [hotkey] --only a,b,c
const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('../../../core/test-support/dir_hash.py', import.meta.url));
const havePython = existsSync(PYTHON);
function pythonHash(dir: string, only: readonly string[], hotkey?: string): string {
  const args = [ORACLE, dir, ...(hotkey === undefined ? [] : [hotkey]), '--only', only.join(',')];
  const out = JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8' })) as {
    hash: string;
    salted: string;
  };
  return hotkey === undefined ? out.hash : out.salted;
}
const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 };

describeModelStoreContract(
  'HubModelStore against the local hub',
  async () => {
    const server = await startHubTestServer({ token: TOKEN });
    return {
      store: new HubModelStore({ hubUrl: server.url, accessToken: TOKEN, retry: FAST_RETRY }),
      plant: async (repo, files) => server.state.plant(`${repo.namespace}/${repo.name}`, files),
      close: () => server.close(),
    };
  },
  { plantsAnyName: true },
);

describe('HubModelStore over HTTP', () => {
  let server: HubTestServer;
  let work: string;
  let store: HubModelStore;
  const modelDir = async (name: string, weights = 'weights'): Promise<string> => {
    const dir = join(work, name);
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'config.json'), '{"architectures":["LlamaForCausalLM"]}');
    await writeFile(join(dir, 'model.safetensors'), weights);
    return dir;
  };

  beforeAll(async () => {
    server = await startHubTestServer({ token: TOKEN });
    work = await mkdtemp(join(tmpdir(), 'hub-store-'));
    store = new HubModelStore({ hubUrl: server.url, accessToken: TOKEN, retry: FAST_RETRY });
  });
  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it('lists sizes and refuses an oversize repo without fetching any file', async () => {
    const id = await store.upload(await modelDir('big', 'x'.repeat(5000)), { namespace: 'm', name: 'big' });
    const before = server.requests.length;
    await expect(store.download(id, join(work, 'out-big'), { maxBytes: 4000 })).rejects.toMatchObject({
      reason: 'oversize',
    });
    const seen = server.requests.slice(before).map((r) => r.path);
    expect(seen.some((p) => p.includes('/tree/'))).toBe(true);
    expect(seen.some((p) => p.includes('/resolve/') || p.includes('/lfs-download/'))).toBe(false);
  });

  it('retries 5xx answers and slow responses during a download', async () => {
    const id = await store.upload(await modelDir('flaky'), { namespace: 'm', name: 'flaky' });
    server.inject({ path: '/tree/', status: 503, times: 2 });
    server.inject({ path: '/lfs-download/', status: 502 });
    server.inject({ path: '/revision/', delayMs: 2_500 });
    const got = await store.download(id, join(work, 'out-flaky'), { maxBytes: 1e6 });
    expect(got.hash).toBe(id.hash);
    expect(server.requests.filter((r) => r.status >= 500).length).toBeGreaterThanOrEqual(3);
  });

  it('stops a transfer that sends more bytes than the listing announced', async () => {
    const weights = Buffer.from('w'.repeat(100));
    const commit = server.state.plant('m/liar', [
      { path: 'config.json', content: '{}' },
      { path: 'model.safetensors', content: weights },
    ]);
    const oid = createHash('sha256').update(weights).digest('hex');
    server.state.lfsObjects.set(oid, Buffer.alloc(200_000));
    const dest = join(work, 'out-liar', 'model');
    await expect(
      store.download({ namespace: 'm', name: 'liar', commit }, dest, { maxBytes: 1000 }),
    ).rejects.toMatchObject({ reason: 'oversize' });
    expect(await readdir(join(work, 'out-liar'))).toEqual([]);
  });

  it('retries a file whose transfer stalls midway', async () => {
    const id = await store.upload(await modelDir('stall', 'y'.repeat(4096)), {
      namespace: 'm',
      name: 'stall',
    });
    const slow = new HubModelStore({
      hubUrl: server.url,
      accessToken: TOKEN,
      retry: { ...FAST_RETRY, timeoutMs: 300 },
    });
    // The first two GETs are the size probe and the transfer; the transfer hangs after 1000 bytes.
    server.inject({ method: 'GET', path: '/lfs-download/', stallAfterBytes: 1000, times: 2 });
    const before = server.requests.length;
    const got = await slow.download(id, join(work, 'out-stall'), { maxBytes: 1e6 });
    expect(got.hash).toBe(id.hash);
    expect(server.requests.slice(before).filter((r) => r.path.startsWith('/lfs-download/'))).toHaveLength(4);
  });

  it('gives up with a ModelStoreError when the hub keeps failing, leaving nothing behind', async () => {
    const id = await store.upload(await modelDir('down'), { namespace: 'm', name: 'down' });
    server.inject({ path: '/resolve/', status: 500, times: 100 });
    const dest = join(work, 'out-down', 'model');
    await expect(store.download(id, dest, { maxBytes: 1e6 })).rejects.toMatchObject({
      code: 'PRETRAIN_MODEL_STORE',
    });
    server.clearFaults();
    expect(await readdir(join(work, 'out-down'))).toEqual([]);
  });

  it('replaces files of an earlier upload, so the commit holds exactly the new model', async () => {
    const dir = await modelDir('replace-a');
    await writeFile(join(dir, 'extra.json'), '{}');
    await store.upload(dir, { namespace: 'm', name: 'replace' });
    const second = await store.upload(await modelDir('replace-b', 'other'), {
      namespace: 'm',
      name: 'replace',
    });
    const files = [
      ...(server.state.resolve('m/replace', second.commit as string)?.files.keys() ?? []),
    ].sort();
    expect(files).toEqual(['.gitattributes', 'config.json', 'model.safetensors']);
  });

  it('uses LFS for weights: batch, then a basic PUT, then an lfsFile commit line', async () => {
    const before = server.requests.length;
    await store.upload(await modelDir('lfs', 'weights never uploaded before'), {
      namespace: 'm',
      name: 'lfs',
    });
    const seen = server.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(seen).toContain('POST /m/lfs.git/info/lfs/objects/batch 200');
    expect(seen.some((s) => s.startsWith('PUT /lfs-upload/'))).toBe(true);
    expect(seen).toContain('POST /api/models/m/lfs/commit/main 200');
  });

  it('uploads nothing that links outside the model directory, or that is not a regular file', async () => {
    const secret = join(work, 'keyfile');
    await writeFile(secret, 'a secret that must never be uploaded');
    const leaking = await modelDir('leak');
    await symlink(secret, join(leaking, 'tokenizer.json'));
    const before = server.requests.length;
    await expect(store.upload(leaking, { namespace: 'm', name: 'leak' })).rejects.toMatchObject({
      reason: 'bad-path',
      message: expect.stringContaining('links outside the model directory'),
    });
    const piped = await modelDir('fifo');
    execFileSync('mkfifo', [join(piped, 'tokenizer.json')]);
    await expect(store.upload(piped, { namespace: 'm', name: 'fifo' })).rejects.toMatchObject({
      reason: 'bad-path',
      message: expect.stringContaining('is a FIFO'),
    });
    expect(server.requests.length).toBe(before);
    // A link that stays inside the directory is its target's content, uploaded as usual.
    const inside = await modelDir('inside');
    await writeFile(join(inside, 'real.json'), '{}');
    await symlink('real.json', join(inside, 'tokenizer_config.json'));
    await expect(store.upload(inside, { namespace: 'm', name: 'inside' })).resolves.toMatchObject({
      name: 'inside',
    });
  });

  it('refuses to upload without a token, and a token that is not an hf_ token', async () => {
    const anonymous = new HubModelStore({ hubUrl: server.url, retry: FAST_RETRY });
    await expect(
      anonymous.upload(await modelDir('anon'), { namespace: 'm', name: 'anon' }),
    ).rejects.toMatchObject({
      code: 'PRETRAIN_MODEL_STORE',
    });
    expect(() => new HubModelStore({ accessToken: 'abc' })).toThrow(/hf_/);
  });

  describe.runIf(havePython)('hashes and fetches only what from_pretrained fetches', () => {
    const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const besides = {
      'README.md': '# a model card\n',
      'tokenizer.json': '{"model":{"type":"BPE"}}',
      'tokenizer_config.json': '{"model_max_length":4096}',
      'special_tokens_map.json': '{"eos_token":"<|endoftext|>"}',
    };
    const writeAll = async (dir: string, files: Record<string, string>): Promise<string> => {
      await mkdir(dir, { recursive: true });
      for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
      return dir;
    };
    const fetched = (since: number): string[] =>
      server.requests
        .slice(since)
        .filter((r) => r.method === 'GET' && /\/(resolve|lfs-download)\//.test(r.path))
        .map((r) => r.path);

    it('a single-file repo with .gitattributes, README and tokenizer files beside the weights', async () => {
      const files = {
        ...besides,
        '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
        'config.json': '{"model_type":"llama"}',
        'generation_config.json': '{"bos_token_id":1,"eos_token_id":2}',
        'model.safetensors': 'single weights',
      };
      const local = await writeAll(join(work, 'planted-single'), files);
      const commit = server.state.plant(
        'ref/single',
        Object.entries(files).map(([path, content]) => ({ path, content })),
      );
      const expected = ['config.json', 'generation_config.json', 'model.safetensors'];
      const hash = pythonHash(local, expected);
      const before = server.requests.length;
      const dest = join(work, 'out-planted-single');
      const got = await store.download({ namespace: 'ref', name: 'single', commit, hash }, dest, {
        maxBytes: 1e6,
      });
      expect(got.hash).toBe(hash);
      expect((await readdir(dest)).sort()).toEqual(expected);
      expect(fetched(before).some((p) => /README|tokenizer|special|gitattributes/.test(p))).toBe(false);
      // The salted form of the same hash is accepted with the hotkey.
      const salted = pythonHash(local, expected, HOTKEY);
      await expect(
        store.download({ namespace: 'ref', name: 'single', commit, hash: salted }, join(work, 'out-salted'), {
          maxBytes: 1e6,
          hotkey: HOTKEY,
        }),
      ).resolves.toMatchObject({ hash });
    });

    it('a sharded repo with a stray .safetensors: the index and the shards it names', async () => {
      const files = {
        ...besides,
        'config.json': '{"model_type":"llama"}',
        'model.safetensors.index.json': JSON.stringify({
          metadata: { total_size: 12 },
          weight_map: {
            'x.weight': 'model-00002-of-00002.safetensors',
            'y.weight': 'model-00001-of-00002.safetensors',
          },
        }),
        'model-00001-of-00002.safetensors': 'first shard',
        'model-00002-of-00002.safetensors': 'second shard',
        'consolidated.safetensors': 'a stray copy no load reads',
      };
      const local = await writeAll(join(work, 'planted-sharded'), files);
      const commit = server.state.plant(
        'ref/sharded',
        Object.entries(files).map(([path, content]) => ({ path, content })),
      );
      const expected = [
        'config.json',
        'model.safetensors.index.json',
        'model-00001-of-00002.safetensors',
        'model-00002-of-00002.safetensors',
      ];
      const hash = pythonHash(local, expected);
      const before = server.requests.length;
      const dest = join(work, 'out-planted-sharded');
      const got = await store.download({ namespace: 'ref', name: 'sharded', commit, hash }, dest, {
        maxBytes: 1e6,
      });
      expect(got.hash).toBe(hash);
      expect((await readdir(dest)).sort()).toEqual([...expected].sort());
      expect(fetched(before).some((p) => p.includes('consolidated'))).toBe(false);
    });

    it('an upload commits the hash of config, generation config and weights, not of the tokenizer or .gitattributes', async () => {
      const src = await writeAll(join(work, 'push-src'), {
        ...besides,
        'config.json': '{"model_type":"llama"}',
        'generation_config.json': '{"eos_token_id":2}',
        'model.safetensors': 'pushed weights',
      });
      const expected = ['config.json', 'generation_config.json', 'model.safetensors'];
      const id = await store.upload(src, { namespace: 'ref', name: 'pushed' }, { hotkey: HOTKEY });
      expect(id.hash).toBe(pythonHash(src, expected, HOTKEY));
      const held = [...(server.state.resolve('ref/pushed', id.commit as string)?.files.keys() ?? [])];
      expect(held).toEqual(expect.arrayContaining(['.gitattributes', 'tokenizer.json', ...expected]));
    });
  });

  it('rejects a commitment without a commit sha as a missing commit', async () => {
    await expect(
      store.download({ namespace: 'm', name: 'lfs', commit: 'main' }, join(work, 'out-main'), {
        maxBytes: 1e6,
      }),
    ).rejects.toMatchObject({ reason: 'missing-commit' });
  });
});
