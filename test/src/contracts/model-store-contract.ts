import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import {
  hashModelDirectory,
  hashPretrainedFileSet,
  saltHash,
  type ModelId,
  type ModelStore,
  type RejectionReason,
} from '@pretrain/core';
import type { ContractCase } from './contract-case.js';

/** A file written straight into a store, bypassing its upload checks. */
export interface PlantedFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** What {@link describeModelStoreContract} needs from a store implementation. */
export interface ModelStoreHarness {
  readonly store: ModelStore;
  /** Store a commit of exactly these files in `namespace/name` (hostile ones too); returns its sha. */
  plant(
    repo: { readonly namespace: string; readonly name: string },
    files: readonly PlantedFile[],
  ): Promise<string>;
  /** Release servers and temporary directories. */
  close?(): Promise<void>;
}

/** Options of {@link describeModelStoreContract}. */
export interface ModelStoreContractOptions {
  /**
   * True when `plant` can hold names no file system can (`../x`, `/abs`), as a remote hub
   * can; a disk store covers that ground with its own escaping-symlink test.
   */
  readonly plantsAnyName?: boolean;
}

const HOTKEY = '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX';
const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A small model directory: weights, config, generation config, tokenizer, a nested JSON,
 * a stray safetensors file, and a README that is not uploaded. Of these only config.json,
 * generation_config.json and model.safetensors are what a model load reads.
 */
async function writeModelDir(dir: string, variant: string): Promise<void> {
  const header = Buffer.from(
    JSON.stringify({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }),
    'utf8',
  );
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.from(new Float32Array([1, 2, 3, variant.length]).buffer);
  await mkdir(join(dir, 'sub'), { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), Buffer.concat([size, header, data]));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ architectures: ['GPT2LMHeadModel'], variant }));
  await writeFile(join(dir, 'generation_config.json'), '{"eos_token_id":0}');
  await writeFile(join(dir, 'consolidated.safetensors'), Buffer.concat([size, header, data]));
  await writeFile(join(dir, 'tokenizer.json'), '{"model":{"type":"BPE"}}');
  await writeFile(join(dir, 'sub', 'extra.json'), '{"nested":true}');
  await writeFile(join(dir, 'README.md'), '# not uploaded\n');
}

/** The files of {@link writeModelDir} that a model load reads: all a download holds. */
const LOADED = ['config.json', 'generation_config.json', 'model.safetensors'];

/** Every file under `dir`, recursively. */
async function listFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ reason?: RejectionReason; code?: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { reason?: RejectionReason; code?: string; message: string },
  );
  if (error === undefined) throw new Error('expected the promise to reject');
  return error;
}

/** What the cases get: the harness, a scratch directory and helpers over both. */
export interface ModelStoreContractContext {
  readonly harness: ModelStoreHarness;
  /** A scratch directory of this run. */
  readonly work: string;
  /** A new destination path (its parent exists, it does not). */
  fresh(): string;
  /** `{ namespace: 'contract', name: 'repo-<suffix>' }`. */
  repo(suffix: string): { namespace: string; name: string };
  /** Write a model directory variant and upload it to `repo(suffix)`. */
  uploadVariant(suffix: string, variant: string, hotkey?: string): Promise<ModelId>;
}

/** A {@link ContractCase} of the ModelStore contract; `skip` says when options rule it out. */
export interface ModelStoreContractCase extends ContractCase<ModelStoreContractContext> {
  readonly skip?: (options: ModelStoreContractOptions) => boolean;
}

/**
 * The context the cases run in, over `harness`: a scratch directory (removed by
 * `close()`, which also closes the harness).
 */
export async function openModelStoreContract(
  harness: ModelStoreHarness,
): Promise<ModelStoreContractContext & { close(): Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), 'model-store-contract-'));
  let counter = 0;
  const repo = (suffix: string) => ({ namespace: 'contract', name: `repo-${suffix}` });
  return {
    harness,
    work,
    repo,
    fresh: () => join(work, `out-${++counter}`, 'model'),
    async uploadVariant(suffix, variant, hotkey) {
      const src = join(work, `src-${suffix}-${variant}`);
      await writeModelDir(src, variant);
      return harness.store.upload(src, repo(suffix), hotkey === undefined ? {} : { hotkey });
    },
    async close() {
      await harness.close?.();
      await rm(work, { recursive: true, force: true });
    },
  };
}

/** `expected`'s keys hold deep-equal values in `actual` (vitest's toMatchObject, one level). */
function assertIncludes(actual: unknown, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(expected))
    assert.deepEqual((actual as Record<string, unknown>)[key], value, `member ${key}`);
}

/**
 * The behaviour every {@link ModelStore} must show (hub store, directory store, and any
 * fake): round trips with the directory hash, salting, immutable commits, and the
 * rejection of hostile repos with a reason, leaving nothing at the destination.
 * Framework-free (`node:assert`); `describeModelStoreContract` of
 * `@pretrain/conformance/vitest` registers them.
 */
export function modelStoreContractCases(options: ModelStoreContractOptions = {}): ModelStoreContractCase[] {
  const cases: ModelStoreContractCase[] = [
    {
      name: 'downloads only the files a model load reads, with the committed hash',
      async run({ harness, fresh, repo, uploadVariant, work }) {
        const id = await uploadVariant('roundtrip', 'a');
        assertIncludes(id, repo('roundtrip'));
        assert.match(id.commit ?? '', COMMIT);
        const dest = fresh();
        const got = await harness.store.download(id, dest, { maxBytes: 1_000_000 });
        assert.equal(got.path, dest);
        assert.equal(got.hash, id.hash);
        assert.equal(await hashModelDirectory(dest), id.hash);
        const src = join(work, 'src-roundtrip-a');
        assert.equal(await hashPretrainedFileSet(src), id.hash);
        assert.deepEqual((await readdir(dest)).sort(), LOADED);
        for (const file of LOADED) {
          assert.deepEqual(await readFile(join(dest, file)), await readFile(join(src, file)));
        }
        const written = await Promise.all(
          (await listFilesUnder(dest)).map(async (f) => (await readFile(f)).length),
        );
        assert.equal(
          got.bytes,
          written.reduce((a, b) => a + b, 0),
        );
      },
    },

    {
      name: 'salts the hash with the hotkey on request and accepts it only with that hotkey',
      async run({ harness, fresh, uploadVariant }) {
        const id = await uploadVariant('salted', 'b', HOTKEY);
        const got = await harness.store.download(id, fresh(), { maxBytes: 1_000_000, hotkey: HOTKEY });
        assert.equal(saltHash(got.hash, HOTKEY), id.hash);
        const error = await rejection(harness.store.download(id, fresh(), { maxBytes: 1_000_000 }));
        assert.equal(error.reason, 'hash-mismatch');
      },
    },

    {
      name: 'keeps earlier commits immutable',
      async run({ harness, fresh, uploadVariant }) {
        const first = await uploadVariant('versions', 'first');
        const second = await uploadVariant('versions', 'second-version');
        assert.notEqual(second.commit, first.commit);
        const dest = fresh();
        await harness.store.download(first, dest, { maxBytes: 1_000_000 });
        assertIncludes(JSON.parse(await readFile(join(dest, 'config.json'), 'utf8')), {
          variant: 'first',
        });
      },
    },

    {
      name: 'refuses to upload pickles',
      async run({ harness, repo, work }) {
        const src = join(work, 'src-pickle');
        await writeModelDir(src, 'p');
        await writeFile(join(src, 'pytorch_model.bin'), 'not really a pickle');
        const error = await rejection(harness.store.upload(src, repo('pickle')));
        assert.equal(error.code, 'PRETRAIN_MODEL_STORE');
        assert.ok(error.message.includes('pytorch_model.bin'), `missing ${'pytorch_model.bin'}`);
      },
    },

    {
      name: 'uploads nothing that links outside the model directory, nor anything but regular files',
      async run({ harness, repo, work }) {
        // A keyfile beside the model: a link to it must never reach a public repo.
        const secret = join(work, 'secret-keyfile');
        await writeFile(secret, '{"secretPhrase":"never upload me"}');
        const leaking = join(work, 'src-leak');
        await writeModelDir(leaking, 'leak');
        await rm(join(leaking, 'tokenizer.json'));
        await symlink(secret, join(leaking, 'tokenizer.json'));
        const leak = await rejection(harness.store.upload(leaking, repo('leak')));
        assert.equal(leak.reason, 'bad-path');
        const piped = join(work, 'src-fifo');
        await writeModelDir(piped, 'fifo');
        await rm(join(piped, 'tokenizer.json'));
        execFileSync('mkfifo', [join(piped, 'tokenizer.json')]);
        assert.equal((await rejection(harness.store.upload(piped, repo('leak')))).reason, 'bad-path');
        const inside = join(work, 'src-inside');
        await writeModelDir(inside, 'inside');
        await writeFile(join(inside, 'real-tokenizer.json'), '{}');
        await rm(join(inside, 'tokenizer.json'));
        await symlink('real-tokenizer.json', join(inside, 'tokenizer.json'));
        assertIncludes(await harness.store.upload(inside, repo('inside')), repo('inside'));
      },
    },

    {
      name: 'rejects a hash mismatch quoting both hashes, leaving nothing behind',
      async run({ harness, fresh, uploadVariant }) {
        const id = await uploadVariant('mismatch', 'c');
        const wrong = saltHash(id.hash as string, 'someone-else');
        const dest = fresh();
        const error = await rejection(
          harness.store.download({ ...id, hash: wrong }, dest, { maxBytes: 1_000_000 }),
        );
        assert.equal(error.reason, 'hash-mismatch');
        assert.ok(error.message.includes(wrong), `missing ${wrong}`);
        assert.ok(error.message.includes(id.hash as string), `missing ${id.hash as string}`);
        assert.deepEqual(await readdir(dirname(dest)), []);
      },
    },

    {
      name: 'rejects an oversize repo before writing anything',
      async run({ harness, fresh, uploadVariant }) {
        const id = await uploadVariant('oversize', 'd');
        const dest = fresh();
        const error = await rejection(harness.store.download(id, dest, { maxBytes: 10 }));
        assert.equal(error.reason, 'oversize');
        assert.deepEqual(await readdir(dirname(dest)).catch(() => []), []);
      },
    },

    {
      name: 'rejects a commit that does not exist',
      async run({ harness, fresh, repo, uploadVariant }) {
        await uploadVariant('missing', 'e');
        const id = { ...repo('missing'), commit: 'f'.repeat(40), hash: 'x'.repeat(44) };
        assert.equal(
          (await rejection(harness.store.download(id, fresh(), { maxBytes: 1_000_000 }))).reason,
          'missing-commit',
        );
        const noRepo = { namespace: 'contract', name: 'never-created', commit: 'a'.repeat(40) };
        assert.equal(
          (await rejection(harness.store.download(noRepo, fresh(), { maxBytes: 1_000_000 }))).reason,
          'missing-commit',
        );
      },
    },

    {
      name: 'rejects a pickle-only repo',
      async run({ harness, fresh, repo }) {
        const commit = await harness.plant(repo('pickle-only'), [
          { path: 'config.json', content: '{}' },
          { path: 'pytorch_model.bin', content: 'pickle bytes' },
        ]);
        const error = await rejection(
          harness.store.download({ ...repo('pickle-only'), commit }, fresh(), { maxBytes: 1_000_000 }),
        );
        assert.equal(error.reason, 'pickle-only');
      },
    },

    {
      name: 'rejects odd file names',
      async run({ harness, fresh, repo }) {
        const commit = await harness.plant(repo('odd'), [
          { path: 'model.safetensors', content: 'x' },
          { path: 'con\u0007fig.json', content: '{}' },
        ]);
        const dest = fresh();
        const error = await rejection(
          harness.store.download({ ...repo('odd'), commit }, dest, { maxBytes: 1_000_000 }),
        );
        assert.equal(error.reason, 'bad-path');
        assert.deepEqual(await readdir(dirname(dest)).catch(() => []), []);
      },
    },

    {
      name: 'rejects traversal and absolute file names',
      skip: (o) => o.plantsAnyName !== true,
      async run({ harness, fresh, repo }) {
        for (const hostile of ['../../escaped.json', 'sub/../../escaped.json', '/etc/escaped.json']) {
          const commit = await harness.plant(repo('traversal'), [
            { path: 'model.safetensors', content: 'x' },
            { path: hostile, content: '{}' },
          ]);
          const error = await rejection(
            harness.store.download({ ...repo('traversal'), commit }, fresh(), { maxBytes: 1_000_000 }),
          );
          assert.equal(error.reason, 'bad-path');
          assert.ok(error.message.includes(JSON.stringify(hostile)), `missing ${JSON.stringify(hostile)}`);
        }
      },
    },

    {
      name: 'downloads a sharded model: the index and the shards it names, not a stray shard',
      async run({ harness, fresh, repo }) {
        const shard = (value: number): Uint8Array => {
          const header = Buffer.from(
            JSON.stringify({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }),
          );
          const size = Buffer.alloc(8);
          size.writeBigUInt64LE(BigInt(header.length));
          return Buffer.concat([size, header, Buffer.from(new Float32Array([value]).buffer)]);
        };
        const index = {
          metadata: {},
          weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' },
        };
        const files = [
          { path: '.gitattributes', content: '*.safetensors filter=lfs diff=lfs merge=lfs -text\n' },
          { path: 'README.md', content: '# sharded\n' },
          { path: 'config.json', content: '{"model_type":"llama"}' },
          { path: 'model.safetensors.index.json', content: JSON.stringify(index) },
          { path: 'model-00001-of-00002.safetensors', content: shard(1) },
          { path: 'model-00002-of-00002.safetensors', content: shard(2) },
          { path: 'model-00003-of-00003.safetensors', content: shard(3) },
          { path: 'tokenizer.json', content: '{}' },
        ];
        const commit = await harness.plant(repo('sharded'), files);
        const dest = fresh();
        const got = await harness.store.download({ ...repo('sharded'), commit }, dest, {
          maxBytes: 1_000_000,
        });
        const expected = [
          'config.json',
          'model-00001-of-00002.safetensors',
          'model-00002-of-00002.safetensors',
          'model.safetensors.index.json',
        ];
        assert.deepEqual((await readdir(dest)).sort(), expected);
        assert.equal(got.hash, await hashModelDirectory(dest));
        const bytes = files.filter((f) => expected.includes(f.path)).map((f) => Buffer.byteLength(f.content));
        assert.equal(
          got.bytes,
          bytes.reduce((a, b) => a + b, 0),
        );
      },
    },

    {
      name: 'counts every file of the commit against the size limit, not only the loaded ones',
      async run({ harness, fresh, repo }) {
        const files = [
          { path: 'config.json', content: '{}' },
          { path: 'model.safetensors', content: 'w'.repeat(100) },
          { path: 'README.md', content: 'r'.repeat(1000) },
        ];
        const commit = await harness.plant(repo('big-readme'), files);
        const error = await rejection(
          harness.store.download({ ...repo('big-readme'), commit }, fresh(), { maxBytes: 500 }),
        );
        assert.equal(error.reason, 'oversize');
      },
    },

    {
      name: 'rejects a repo a model load cannot read as corrupt, leaving nothing behind',
      async run({ harness, fresh, repo }) {
        const unloadable: PlantedFile[][] = [
          [{ path: 'model.safetensors', content: 'no config' }],
          [
            { path: 'config.json', content: '{}' },
            { path: 'weights.safetensors', content: 'not a name a load reads' },
          ],
          [
            { path: 'config.json', content: '{}' },
            { path: 'model.safetensors.index.json', content: '{"weight_map":{"a":"gone.safetensors"}}' },
            { path: 'other.safetensors', content: 'x' },
          ],
        ];
        for (const files of unloadable) {
          const commit = await harness.plant(repo('unloadable'), files);
          const dest = fresh();
          const error = await rejection(
            harness.store.download({ ...repo('unloadable'), commit }, dest, { maxBytes: 1_000_000 }),
          );
          assert.equal(error.reason, 'corrupt');
          assert.deepEqual(await readdir(dirname(dest)).catch(() => []), []);
        }
      },
    },

    {
      name: 'refuses a destination that exists',
      async run({ harness, fresh, uploadVariant }) {
        const id = await uploadVariant('exists', 'f');
        const dest = fresh();
        await mkdir(dest, { recursive: true });
        const error = await rejection(harness.store.download(id, dest, { maxBytes: 1_000_000 }));
        assert.equal(error.code, 'PRETRAIN_USAGE');
      },
    },
  ];
  return cases.filter((c) => c.skip?.(options) !== true);
}
