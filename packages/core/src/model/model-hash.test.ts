import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile, hashMatches, hashModelDirectory, hashPretrainedFileSet, saltHash } from './model-hash.js';

// Golden values come from an independent Python implementation (hashlib + os.walk):
//   /usr/bin/python3 packages/core/test-support/dir_hash.py <dir> [hotkey]
const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('../../test-support/dir_hash.py', import.meta.url));
const HOTKEY = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const havePython = existsSync(PYTHON);
if (!havePython && process.env.CI === 'true')
  throw new Error(`${PYTHON} is required for the hash goldens in CI`);

function oracle(
  dir: string,
  hotkey?: string,
  only?: readonly string[],
): { hash: string; salted: string | null } {
  const args = hotkey === undefined ? [ORACLE, dir] : [ORACLE, dir, hotkey];
  if (only !== undefined) args.push('--only', only.join(','));
  return JSON.parse(execFileSync(PYTHON, args, { encoding: 'utf8' })) as {
    hash: string;
    salted: string | null;
  };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pretrain-hash-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

describe('hashFile', () => {
  it('is base64 sha256 of the bytes', async () => {
    const dir = await tree('file', { 'a.txt': 'abc' });
    // sha256("abc"), a published test vector.
    expect(await hashFile(join(dir, 'a.txt'))).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
  });
});

describe.runIf(havePython)('hashModelDirectory equals the Python reference', () => {
  it('on an empty directory', async () => {
    const dir = await tree('empty', {});
    expect(await hashModelDirectory(dir)).toBe(oracle(dir).hash);
    expect(await hashModelDirectory(dir)).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('on nested directories with byte-wise name order', async () => {
    const dir = await tree('nested', {
      'config.json': '{"a":1}',
      'B.bin': 'upper case sorts first',
      'a/z.txt': 'z',
      'a/b/deep.txt': 'deep',
      'a/a.txt': 'files before sub-directories',
      'b/x': 'x',
      'é.txt': 'two-byte name',
      '\u{ff5e}.txt': 'three-byte name, BMP above surrogates',
      '\u{1f600}.txt': 'four-byte name: UTF-16 order would differ',
      'empty-dir/.keep': '',
    });
    await mkdir(join(dir, 'really-empty'));
    expect(await hashModelDirectory(dir)).toBe(oracle(dir).hash);
  });

  it('hashes symlinked files by content and never enters symlinked directories', async () => {
    const outside = await tree('outside', {
      blob1: 'weights',
      'sub/inner.txt': 'not hashed via the dir link',
    });
    const dir = await tree('links', { 'real.txt': 'real', 'model/config.json': '{}' });
    await symlink(join(outside, 'blob1'), join(dir, 'model.safetensors'));
    await symlink(join(outside, 'blob1'), join(dir, 'model', 'relative-link'));
    await symlink(join(outside, 'sub'), join(dir, 'linked-dir'));
    const hash = await hashModelDirectory(dir);
    expect(hash).toBe(oracle(dir).hash);

    const copy = await tree('links-copy', {
      'real.txt': 'real',
      'model/config.json': '{}',
      'model.safetensors': 'weights',
      'model/relative-link': 'weights',
    });
    expect(await hashModelDirectory(copy)).toBe(hash);
  });

  it('follows a symlinked top directory', async () => {
    const dir = await tree('top-target', { 'x.json': 'x', 'd/y.json': 'y' });
    await symlink(dir, join(root, 'top-link'));
    expect(await hashModelDirectory(join(root, 'top-link'))).toBe(oracle(join(root, 'top-link')).hash);
    expect(await hashModelDirectory(join(root, 'top-link'))).toBe(await hashModelDirectory(dir));
  });

  it('salts with the hotkey like the reference', async () => {
    const dir = await tree('salted', { 'config.json': '{}', 'model.safetensors': 'w' });
    const expected = oracle(dir, HOTKEY);
    const hash = await hashModelDirectory(dir);
    expect(saltHash(hash, HOTKEY)).toBe(expected.salted);
  });
});

describe.runIf(havePython)('hashPretrainedFileSet equals the Python reference over the fetched files', () => {
  // What a hub repo holds beside the model, none of which from_pretrained fetches.
  const surroundings = {
    '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
    'README.md': '# my model\n',
    'tokenizer.json': '{"model":{"type":"BPE"}}',
    'tokenizer_config.json': '{"model_max_length":1024}',
    'special_tokens_map.json': '{}',
    'vocab.json': '{}',
    'merges.txt': '#version: 0.2\n',
    'training_args.json': '{}',
    'docs/notes.md': 'nested',
  };

  it('on a single-file model: config, generation config and model.safetensors only', async () => {
    const dir = await tree('single', {
      ...surroundings,
      'config.json': '{"model_type":"llama"}',
      'generation_config.json': '{"eos_token_id":2}',
      'model.safetensors': 'weights',
      'consolidated.safetensors': 'a stray copy',
      'model.safetensors.index.json': '{"weight_map":{"w":"consolidated.safetensors"}}',
    });
    const expected = ['config.json', 'generation_config.json', 'model.safetensors'];
    const hash = await hashPretrainedFileSet(dir);
    expect(hash).toBe(oracle(dir, undefined, expected).hash);
    expect(hash).not.toBe(await hashModelDirectory(dir));
    expect(saltHash(hash, HOTKEY)).toBe(oracle(dir, HOTKEY, expected).salted);
  });

  it('without a generation config', async () => {
    const dir = await tree('no-generation', {
      ...surroundings,
      'config.json': '{}',
      'model.safetensors': 'weights',
    });
    expect(await hashPretrainedFileSet(dir)).toBe(
      oracle(dir, undefined, ['config.json', 'model.safetensors']).hash,
    );
  });

  it('on a sharded model: the index and exactly the shards its weight_map names', async () => {
    const dir = await tree('sharded', {
      ...surroundings,
      'config.json': '{}',
      'generation_config.json': '{}',
      'model.safetensors.index.json': JSON.stringify({
        metadata: { total_size: 6 },
        weight_map: {
          a: 'model-00002-of-00002.safetensors',
          b: 'model-00001-of-00002.safetensors',
          c: 'model-00001-of-00002.safetensors',
        },
      }),
      'model-00001-of-00002.safetensors': 'one',
      'model-00002-of-00002.safetensors': 'two',
      'model-00003-of-00002.safetensors': 'stray shard, named by nothing',
      'pytorch_model.bin': 'never fetched with use_safetensors',
    });
    const expected = [
      'config.json',
      'generation_config.json',
      'model.safetensors.index.json',
      'model-00001-of-00002.safetensors',
      'model-00002-of-00002.safetensors',
    ];
    expect(await hashPretrainedFileSet(dir)).toBe(oracle(dir, undefined, expected).hash);
  });

  it('equals the whole-tree hash of a directory that holds only the fetched files', async () => {
    const dir = await tree('bare', { 'config.json': '{}', 'model.safetensors': 'w' });
    expect(await hashPretrainedFileSet(dir)).toBe(await hashModelDirectory(dir));
  });
});

describe('hashPretrainedFileSet errors', () => {
  it('refuses a directory a model load cannot read', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'model.safetensors': 'w' }, /no config\.json/],
      [{ 'config.json': '{}', 'weights.safetensors': 'w' }, /neither model\.safetensors nor/],
      [
        { 'config.json': '{}', 'model.safetensors.index.json': '{"weight_map":{"a":"gone.safetensors"}}' },
        /lacks: gone\.safetensors/,
      ],
      [{ 'config.json': '{}', 'model.safetensors.index.json': 'not json' }, /is not JSON/],
    ];
    for (const [i, [files, message]] of cases.entries()) {
      const dir = await tree(`unloadable-${i}`, files);
      await expect(hashPretrainedFileSet(dir)).rejects.toThrow(
        expect.objectContaining({ code: 'PRETRAIN_USAGE', message: expect.stringMatching(message) }),
      );
    }
    await expect(hashPretrainedFileSet(join(root, 'missing'))).rejects.toThrow(/is not a directory/);
  });
});

describe('hashModelDirectory errors', () => {
  it('refuses a missing path or a file', async () => {
    const dir = await tree('err', { 'f.txt': 'f' });
    await expect(hashModelDirectory(join(dir, 'missing'))).rejects.toThrow(/is not a directory/);
    await expect(hashModelDirectory(join(dir, 'f.txt'))).rejects.toThrow(/is not a directory/);
  });

  it('fails on a broken symlink, as the reference does', async () => {
    const dir = await tree('broken', { 'f.txt': 'f' });
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    await expect(hashModelDirectory(dir)).rejects.toThrow(
      expect.objectContaining({
        code: 'PRETRAIN_USAGE',
        message: `cannot read '${join(dir, 'dangling')}' of model directory '${dir}': ENOENT`,
      }),
    );
  });
});

describe('hashMatches', () => {
  const dirHash = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
  it('accepts the plain or the salted hash', () => {
    expect(hashMatches(dirHash, dirHash)).toBe(true);
    expect(hashMatches(saltHash(dirHash, HOTKEY), dirHash, HOTKEY)).toBe(true);
  });
  it('refuses the salted hash without the hotkey, or with another', () => {
    expect(hashMatches(saltHash(dirHash, HOTKEY), dirHash)).toBe(false);
    expect(hashMatches(saltHash(dirHash, HOTKEY), dirHash, 'other')).toBe(false);
    expect(hashMatches('x', dirHash, HOTKEY)).toBe(false);
  });
});
