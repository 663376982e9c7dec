import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../testing/run-cli.js';

let cwd: string;
let tree: string;
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

async function put(rel: string, data: string | Uint8Array, base = tree): Promise<void> {
  await mkdir(dirname(join(base, rel)), { recursive: true });
  await writeFile(join(base, rel), data);
}

// The same tree as the Python oracle builds: packages/cli/test-support/hash_ref.py.
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-model-'));
  tree = join(cwd, 'tree');
  await put('config.json', '{"architectures":["GPT2LMHeadModel"]}\n');
  await put(
    'model.safetensors',
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) % 256),
  );
  await put('a/b.txt', 'nested\n');
  await put('a/Z.txt', 'upper\n');
  await put('a/c/deep.bin', 'deep');
  await put('B/x.txt', 'x');
  await put('_underscore', '');
  await symlink('config.json', join(tree, 'link-to-config.json'));
  await symlink('../model.safetensors', join(tree, 'a/link-up.txt'));
  await symlink('a', join(tree, 'linkdir'));
  const sharded = join(cwd, 'sharded');
  await put('.gitattributes', '*.safetensors filter=lfs diff=lfs merge=lfs -text\n', sharded);
  await put('README.md', '# sharded\n', sharded);
  await put('tokenizer.json', '{}', sharded);
  await put('config.json', '{"model_type":"llama"}', sharded);
  await put('generation_config.json', '{"eos_token_id":2}', sharded);
  // Byte for byte what Python's json.dumps writes in the oracle.
  await put(
    'model.safetensors.index.json',
    '{"weight_map": {"a": "s-2.safetensors", "b": "s-1.safetensors"}}',
    sharded,
  );
  await put('s-1.safetensors', 'one', sharded);
  await put('s-2.safetensors', 'two', sharded);
  await put('s-3.safetensors', 'stray', sharded);
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('pretrain model hash', () => {
  // Goldens: `/usr/bin/python3 packages/cli/test-support/hash_ref.py` (os.walk + hashlib over
  // a copy holding only the files from_pretrained fetches; --all-files over the whole tree).
  it('prints the hash of the files a model load reads, as the Python reference computes it', async () => {
    const run = await runCli(['model', 'hash', 'tree'], { cwd });
    expect(run).toEqual({ code: 0, stdout: 'yUWgURczEqgf8IQMfM43rupy6JCtRLgR7CIXcHJKh7U=\n', stderr: '' });
  });

  it('salts it with --hotkey', async () => {
    const run = await runCli(['model', 'hash', tree, '--hotkey', ALICE], { cwd });
    expect(run).toEqual({ code: 0, stdout: '3IMzccZz18JvZB4mQQn5xXbzFcqgr2N8dLMQ/Mc1g5c=\n', stderr: '' });
  });

  it('hashes a sharded model by its index and the shards it names, beside other files', async () => {
    const run = await runCli(['model', 'hash', 'sharded'], { cwd });
    expect(run).toEqual({ code: 0, stdout: 'LViWRtuD22P4qM0A5hZQxKSs3/0OJHB6RVGMTT1M7f4=\n', stderr: '' });
  });

  it('hashes every file with --all-files (the reference directory hash)', async () => {
    expect(await runCli(['model', 'hash', 'tree', '--all-files'], { cwd })).toEqual({
      code: 0,
      stdout: 'zycNP+eJINahKVEVfyT8MvHYzFEl1S+rsw656mTwgFc=\n',
      stderr: '',
    });
    expect(await runCli(['model', 'hash', 'tree', '--all-files', '--hotkey', ALICE], { cwd })).toEqual({
      code: 0,
      stdout: 'feWBHDM2FkYoEEZC9JRvOCMDKFcXKff87mTuHGNNtyc=\n',
      stderr: '',
    });
    expect((await runCli(['model', 'hash', 'sharded', '--all-files'], { cwd })).stdout).toBe(
      'LJ+i3WMc4Y+LnbE/hAa7zUI0SlVgHC4p3eF9XId7Zo8=\n',
    );
  });

  it('refuses a directory a model load cannot read, pointing at --all-files', async () => {
    await put('notes.txt', 'no model here', join(cwd, 'plain'));
    const run = await runCli(['model', 'hash', 'plain'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^error: .*plain.* is not a model directory a validator can load: it has no config\.json\nhint: .*--all-files/,
    );
  });

  it('rejects a hotkey that is not an SS58 address', async () => {
    const run = await runCli(['model', 'hash', tree, '--hotkey', 'default'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --hotkey "default" is not an SS58 address\nhint: /);
  });

  it('rejects a path that is not a directory', async () => {
    const run = await runCli(['model', 'hash', 'nowhere'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*nowhere.* is not a directory\nhint: /);
  });

  it('gives a one-line error and exit 2 for a broken symlink', async () => {
    await put('config.json', '{}', join(cwd, 'broken'));
    await symlink(join(cwd, 'broken', 'nowhere'), join(cwd, 'broken', 'model.safetensors'));
    const run = await runCli(['model', 'hash', 'broken'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: cannot read '.*model\.safetensors' of model directory .*: ENOENT\nhint: .*broken symlinks\n$/,
    );
  });

  it('needs the directory argument', async () => {
    const run = await runCli(['model', 'hash'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('hint: `pretrain model hash --help` shows the usage');
  });

  it('refuses an unknown flag in one line with a hint', async () => {
    const run = await runCli(['model', 'hash', 'tree', '--salt', ALICE], { cwd });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: Unknown argument: salt\nhint: `pretrain model hash --help` shows the usage\n',
    });
  });

  it('adds the stack trace to the error only with --verbose', async () => {
    const quiet = await runCli(['model', 'hash', 'nowhere'], { cwd });
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['model', 'hash', 'nowhere', '--verbose'], { cwd });
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(
      /\nerror: .*nowhere.* is not a directory\nhint: .*\nUsageError: .*\n\s+at /,
    );
  });
});

// A real HF repo copied into test/fixtures (see its README); expected numbers from its
// safetensors header read with Python (811520 parameters, tied head counted once) and
// `sum(os.path.getsize(f) for f in os.listdir(dir))` = 8061154 bytes.
const TINY_GPT2 = fileURLToPath(
  new URL('../../../../../test/fixtures/models/gpt2-tiny-random', import.meta.url),
);

describe('pretrain model inspect', () => {
  it('describes a real GPT-2 repo', async () => {
    const run = await runCli(['model', 'inspect', TINY_GPT2, '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      dir: TINY_GPT2,
      architecture: 'GPT2LMHeadModel',
      family: 'gpt2',
      layout:
        'pre-norm sequential, learned positions, 1 heads × 16, kv 1, fused q/k/v blocks, layernorm, gelu_tanh, tied head',
      features: [],
      parameters: 811520,
      dtypes: ['F32'],
      weightBytes: 3247544,
      totalBytes: 8061154,
      layers: 1,
      hiddenSize: 16,
      heads: 1,
      kvHeads: 1,
      vocabSize: 50257,
      maxPositions: 256,
      tiedEmbeddings: true,
    });
  });

  it('shows the layout of each architecture the subnet allows: Falcon-RW with ALiBi', async () => {
    const falcon = fileURLToPath(
      new URL('../../../../../test/fixtures/models/falcon-rw-tiny-random', import.meta.url),
    );
    const run = await runCli(['model', 'inspect', falcon, '--json'], { cwd });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({
      architecture: 'FalconForCausalLM',
      family: 'falcon',
      layout:
        'pre-norm sequential, alibi, 12 heads × 4, kv 12, fused q/k/v per-head, layernorm, gelu, tied head',
      features: ['alibi'],
      parameters: 81216, // the sum of the tensors' sizes, by python over the safetensors file
    });
  });

  it('prints the same as a two-column table', async () => {
    const run = await runCli(['model', 'inspect', TINY_GPT2], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^property {8}value\n/);
    expect(run.stdout).toContain('\narchitecture    GPT2LMHeadModel\n');
    expect(run.stdout).toContain('\nparameters      811520\n');
    expect(run.stdout).toContain('\ndtypes          F32\n');
  });

  it('escapes control characters in what it prints (names, errors) instead of passing them to the terminal', async () => {
    const hostile = join(cwd, 'gpt2\r\u001b[2J');
    await symlink(TINY_GPT2, hostile);
    const table = await runCli(['model', 'inspect', hostile], { cwd });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('gpt2\\r\\x1b[2J');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(table.stdout).not.toMatch(/[\r\u001b]/);
    const odd = join(cwd, 'odd-arch');
    await mkdir(odd, { recursive: true });
    await writeFile(join(odd, 'config.json'), JSON.stringify({ model_type: 'X\u001b]0;owned\u0007\rY' }));
    const error = await runCli(['model', 'inspect', odd], { cwd });
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('X\\x1b]0;owned\\x07\\rY');
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(error.stderr).not.toMatch(/[\r\u0007\u001b]/);
  });

  it('gives a one-line error for a directory that is not a model', async () => {
    const run = await runCli(['model', 'inspect', 'tree/a'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')).toEqual([
      `error: "${join(tree, 'a', 'config.json')}" is missing: not a Hugging Face model directory`,
      'hint: pass a directory with config.json and *.safetensors weights',
      '',
    ]);
  });

  it.each([
    ['a missing path', 'nowhere', /^error: .*nowhere.*\nhint: .*\n$/],
    ['a file', 'tree/config.json', /^error: .*config\.json.*\nhint: .*\n$/],
    [
      'a corrupt config.json',
      'corrupt',
      /^error: .*config\.json" is not valid JSON: .*\nhint: .*damaged.*\n$/,
    ],
  ])('gives a one-line error and exit 2 for %s', async (_what, path, stderr) => {
    await mkdir(join(cwd, 'corrupt'), { recursive: true });
    await writeFile(join(cwd, 'corrupt', 'config.json'), '{"architectures": [');
    const run = await runCli(['model', 'inspect', path], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(stderr);
  });

  it('requires a subcommand for `model`', async () => {
    const run = await runCli(['model'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: a subcommand is required\nhint: `pretrain model --help` shows the usage\n',
    );
  });
});
