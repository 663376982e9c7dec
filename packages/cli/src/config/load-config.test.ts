import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@pretrain/core';
import { CONFIG_KEYS, envName, flagName } from './config-schema.js';
import { loadConfig } from './load-config.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pretrain-config-'));
  await writeFile(
    join(cwd, 'pretrain.config.json'),
    JSON.stringify({ backend: 'tfjs', netuid: 3, threads: 2, dataDir: 'state', hfToken: 'hf_file' }),
  );
  await mkdir(join(cwd, 'etc'));
  await writeFile(
    join(cwd, 'etc', 'other.json'),
    JSON.stringify({ dataDir: '../elsewhere', device: 'cuda' }),
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('takes flags over environment over file over defaults', async () => {
    const loaded = await loadConfig({
      flags: { backend: './mine.js', threads: undefined },
      env: { PRETRAIN_BACKEND: 'native', PRETRAIN_NETUID: '7' },
      cwd,
    });
    expect(loaded.values).toMatchObject({ backend: './mine.js', netuid: 7, threads: 2, logFormat: 'pretty' });
    expect(loaded.sources).toMatchObject({
      backend: 'flag',
      netuid: 'env',
      threads: 'file',
      logFormat: 'default',
    });
    expect(loaded.file).toBe(join(cwd, 'pretrain.config.json'));
  });

  it("falls back to the bittensor SDK's BT_* variables after PRETRAIN_*", async () => {
    const env = {
      BT_WALLET_NAME: 'bt-wallet',
      BT_WALLET_HOTKEY: 'bt-hotkey',
      BT_WALLET_PATH: '/bt/wallets',
      BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://127.0.0.1:9944',
      PRETRAIN_WALLET_HOTKEY: 'mine',
    };
    const loaded = await loadConfig({ flags: { walletName: 'flagged' }, env, cwd });
    expect(loaded.values).toMatchObject({
      walletName: 'flagged',
      walletHotkey: 'mine',
      walletPath: '/bt/wallets',
      chainEndpoint: 'ws://127.0.0.1:9944',
    });
    expect(loaded.sources).toMatchObject({ walletName: 'flag', walletPath: 'env', chainEndpoint: 'env' });
  });

  it('reads network from the file, PRETRAIN_NETWORK, then BT_SUBTENSOR_NETWORK', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pretrain-config-network-'));
    try {
      await writeFile(join(dir, 'pretrain.config.json'), JSON.stringify({ network: 'test' }));
      const fromFile = await loadConfig({ flags: {}, env: { BT_SUBTENSOR_NETWORK: 'archive' }, cwd: dir });
      expect(fromFile.values.network).toBe('archive');
      expect(fromFile.sources.network).toBe('env');
      const pretrainFirst = await loadConfig({
        flags: {},
        env: { PRETRAIN_NETWORK: 'local', BT_SUBTENSOR_NETWORK: 'archive' },
        cwd: dir,
      });
      expect(pretrainFirst.values.network).toBe('local');
      const fileOnly = await loadConfig({ flags: {}, env: {}, cwd: dir });
      expect(fileOnly.values.network).toBe('test');
      expect(fileOnly.sources.network).toBe('file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the network or the endpoint from the stronger source, network on a tie', async () => {
    const endpoint = 'ws://127.0.0.1:9944';
    const flagEndpoint = await loadConfig({
      flags: { chainEndpoint: endpoint },
      env: { PRETRAIN_NETWORK: 'test' },
      cwd,
    });
    expect(flagEndpoint.values).toMatchObject({ chainEndpoint: endpoint, network: undefined });
    const flagNetwork = await loadConfig({
      flags: { network: 'test' },
      env: { PRETRAIN_CHAIN_ENDPOINT: endpoint },
      cwd,
    });
    expect(flagNetwork.values).toMatchObject({ chainEndpoint: undefined, network: 'test' });
    const tie = await loadConfig({ flags: { network: 'finney', chainEndpoint: endpoint }, env: {}, cwd });
    expect(tie.values).toMatchObject({ chainEndpoint: undefined, network: 'finney' });
  });

  it('resolves relative paths from the file, or from the working directory elsewhere', async () => {
    expect((await loadConfig({ flags: {}, env: {}, cwd })).values.dataDir).toBe(join(cwd, 'state'));
    const other = await loadConfig({ flags: { config: 'etc/other.json' }, env: {}, cwd });
    expect(other.values).toMatchObject({ dataDir: join(cwd, 'elsewhere'), device: 'cuda', backend: 'onnx' });
    const fromEnv = await loadConfig({ flags: {}, env: { PRETRAIN_DATA_DIR: 'x' }, cwd: join(cwd, 'etc') });
    expect(fromEnv.values.dataDir).toBe(join(cwd, 'etc', 'x'));
  });

  it('uses defaults without a file; a relative default path is in the working directory', async () => {
    const bare = join(cwd, 'etc');
    const loaded = await loadConfig({ flags: {}, env: {}, cwd: bare });
    expect(loaded.file).toBeUndefined();
    expect(loaded.values).toMatchObject({ backend: 'onnx', device: 'cpu', netuid: 9, verbose: false });
    expect(loaded.values.dataDir).toBe(join(bare, '.pretrain'));
    expect(loaded.values.threads).toBeUndefined();
  });

  it.each([
    [{ flags: { config: 'missing.json' } }, /^cannot read config file .*missing\.json: ENOENT$/],
    [{ env: { PRETRAIN_CONFIG: 'missing.json' } }, /^cannot read config file .*missing\.json: ENOENT$/],
    [{ flags: { config: '' } }, /^--config needs a file path, got ""$/],
    [{ env: { PRETRAIN_CONFIG: ' ' } }, /^PRETRAIN_CONFIG needs a file path, got " "$/],
    [{ env: { PRETRAIN_THREADS: 'many' } }, /^PRETRAIN_THREADS: expected a positive integer, got "many"$/],
    [{ env: { PRETRAIN_VERBOSE: 'maybe' } }, /^PRETRAIN_VERBOSE: expected true or false, got "maybe"$/],
    [{ flags: { logFormat: 'xml' } }, /^flag --log-format: expected one of pretty, json, got "xml"$/],
    [
      { env: { PRETRAIN_CHAIN_ENDPOINT: 'http://x' } },
      /expected a ws:\/\/ or wss:\/\/ URL, got "http:\/\/x"$/,
    ],
    [{ env: { PRETRAIN_NETUID: '1.5' } }, /^PRETRAIN_NETUID: expected an integer, got "1.5"$/],
    [
      { env: { PRETRAIN_LOG_FORMAT: 'xml' } },
      /^PRETRAIN_LOG_FORMAT: expected one of pretty, json, got "xml"$/,
    ],
  ])('rejects %j with a message naming the source', async (input, message) => {
    const error = await loadConfig({ flags: {}, env: {}, cwd, ...input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).hint).toBeDefined();
  });

  it.each([
    ['{"backend": ', /is not valid JSON/],
    ['[1]', /must hold a JSON object, got \[1\]/],
    ['{"backnd": "onnx"}', /has unknown key\(s\): "backnd"$/],
    ['{"netuid": "nine"}', /^key "netuid" of .*: expected an integer, got "nine"$/],
    ['{"tfjsBackend": "wasm"}', /^config file .*: key "tfjsBackend" is no longer read$/],
    ['{"backendOptions": ["a=1"]}', /^key "backendOptions" of .*: expected an object of strings/],
    [
      '{"backendOptions": {"a": {"b": 1}}}',
      /^key "backendOptions" of .*: expected an object of strings.*\(key "a"\)/,
    ],
    [
      '{"backendOptions": {"__proto__": 1}}',
      /^key "backendOptions" of .*: expected option names .*"__proto__"/,
    ],
  ])('rejects the file %s', async (text, message) => {
    await writeFile(join(cwd, 'etc', 'bad.json'), text);
    await expect(loadConfig({ flags: { config: 'etc/bad.json' }, env: {}, cwd })).rejects.toThrow(message);
  });

  it('merges backendOptions key by key: flag over environment over file, empty by default', async () => {
    const bare = join(cwd, 'etc');
    const none = await loadConfig({ flags: {}, env: {}, cwd: bare });
    expect([none.values.backendOptions, none.sources.backendOptions]).toEqual([{}, 'default']);
    await writeFile(
      join(bare, 'opts.json'),
      JSON.stringify({ backendOptions: { a: 1, b: true, c: 'file' } }),
    );
    const all = await loadConfig({
      flags: { config: 'etc/opts.json', backendOption: ['c=flag', 'd = x=y '] },
      env: { PRETRAIN_BACKEND_OPTIONS: 'b=env, e=2' },
      cwd,
    });
    expect(all.values.backendOptions).toEqual({ a: 1, b: 'env', c: 'flag', d: 'x=y', e: '2' });
    expect(all.sources.backendOptions).toBe('flag');
    // One flag value is one option, commas and all.
    const one = await loadConfig({ flags: { backendOption: 'path=a,b' }, env: {}, cwd: bare });
    expect(one.values.backendOptions).toEqual({ path: 'a,b' });
    const env = await loadConfig({ flags: {}, env: { PRETRAIN_BACKEND_OPTIONS: 'runtime=wasm' }, cwd: bare });
    expect([env.values.backendOptions, env.sources.backendOptions]).toEqual([{ runtime: 'wasm' }, 'env']);
  });

  it.each([
    [{ backendOption: ['runtime'] }, {}, /^flag --backend-option: expected key=value, got \["runtime"\]$/],
    [{ backendOption: ['=wasm'] }, {}, /^flag --backend-option: expected key=value/],
    [
      {},
      { PRETRAIN_BACKEND_OPTIONS: 'a=1,b' },
      /^PRETRAIN_BACKEND_OPTIONS: expected key=value, got "a=1,b"$/,
    ],
    [{}, { PRETRAIN_TFJS_BACKEND: 'wasm' }, /^PRETRAIN_TFJS_BACKEND is no longer read$/],
  ])('rejects backend options %j %j', async (flags, env, message) => {
    await expect(loadConfig({ flags, env, cwd: join(cwd, 'etc') })).rejects.toThrow(message);
  });

  it('names every key after the same convention', () => {
    expect(CONFIG_KEYS.map(envName)).toContain('PRETRAIN_WALLET_HOTKEY');
    expect(CONFIG_KEYS.map(flagName)).toContain('chain-endpoint');
  });
});
