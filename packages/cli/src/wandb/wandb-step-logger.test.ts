import type { StepRecord } from '@pretrain/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { startWandbTestServer, type WandbTestServer } from '../testing/wandb-test-server.js';
import { WandbApi } from './wandb-api.js';
import { WandbStepLogger, type WandbStepLoggerOptions } from './wandb-step-logger.js';

const KEY = 'local-0123456789abcdef0123456789abcdef01234567';
const BASIC = Buffer.from(`api:${KEY}`).toString('base64');
const START = Date.UTC(2026, 11, 6, 21, 0, 5);

/** A completed step of validator run `run` with one uid. */
function step(run: string, n: number): StepRecord {
  return {
    v: 1,
    type: 'step',
    run,
    step: n,
    time: START + n * 60_000,
    block: 1000 + n,
    batchCount: 1,
    evaluations: 1,
    durationMs: 1000,
    tokensPerSecond: 10,
    pages: [{ dataset: 'tiiuae/falcon-refinedweb', offset: n }],
    rows: [
      {
        uid: 4,
        hotkey: '5Four',
        model: null,
        block: 900,
        averageLoss: 3 - n / 10,
        lossSummary: { min: 1, median: 1, max: 1, nonFinite: 0 },
        wins: 1,
        winRate: 1,
        stepWeight: 1,
        weight: n / 10,
        failure: null,
        sharedWith: null,
      },
    ],
    weights: [0, 0, 0, 0, n / 10],
  };
}

/** A JSON-lines logger (as `--log-format json`) into a string. */
function captureLog() {
  let text = '';
  const logger = createLogger({
    stream: { write: (s: string) => (text += s) },
    format: 'json',
    verbose: true,
  });
  const lines = () =>
    text
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: string; msg: string; error?: string; dropped?: number });
  return { logger, lines, text: () => text };
}

let servers: WandbTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function double(options: { apiKey?: string; entities?: string[] } = {}) {
  const server = await startWandbTestServer({ apiKey: options.apiKey ?? KEY, ...options });
  servers.push(server);
  return server;
}

function stepsTo(
  url: string,
  log: ReturnType<typeof captureLog>,
  extra: Partial<WandbStepLoggerOptions> = {},
) {
  return new WandbStepLogger({
    api: new WandbApi({ baseUrl: url, apiKey: KEY, timeoutMs: 2000 }),
    project: 'sn9',
    config: { hotkey: '5Validator', type: 'validator' },
    namePrefix: 'validator-7',
    logger: log.logger,
    now: () => START,
    ...extra,
  });
}

function expectNoKey(text: string) {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(BASIC);
}

describe('WandbStepLogger against a W&B double', () => {
  it('creates a run with the config and sends each step as a history row, then finishes it', async () => {
    const server = await double();
    const log = captureLog();
    const steps = stepsTo(server.url, log);
    steps.log(step('run-a', 1));
    await steps.idle();
    steps.log(step('run-a', 2));
    await steps.finish();

    expect(server.runs).toHaveLength(1);
    const run = server.runs[0]!;
    expect(run).toMatchObject({
      entity: 'tester',
      project: 'sn9',
      displayName: 'validator-7-2026-12-06_21-00-05',
      exitcode: 0,
    });
    expect(run.name).toMatch(/^[a-z0-9]{8}$/);
    expect(run.config).toEqual({
      hotkey: { value: '5Validator', desc: null },
      type: { value: 'validator', desc: null },
      run_name: { value: '2026-12-06_21-00-05', desc: null },
    });
    expect(run.history.map((r) => [r._step, r.block, r.uid_data, r.weight_data, r._runtime])).toEqual([
      [1, 1001, { '4': 2.9 }, { '4': 0.1 }, 60],
      [2, 1002, { '4': 2.8 }, { '4': 0.2 }, 120],
    ]);
    expect(run.history[1]).toMatchObject({
      time: (START + 120_000) / 1000,
      _timestamp: (START + 120_000) / 1000,
    });
    expect(run.summary).toEqual(run.history[1]);
    expect(server.requests.map((r) => r.operation ?? r.path.split('/').at(-1))).toEqual([
      'Viewer',
      'UpsertBucket',
      'file_stream',
      'file_stream',
      'file_stream',
    ]);
    expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Basic ${BASIC}`]));
    expect(log.lines().filter((l) => l.level === 'warn')).toEqual([]);
    expectNoKey(log.text());
  });

  it('uses --wandb-entity as given, starts a new run every stepsPerRun steps and for a new validator run', async () => {
    const server = await double({ entities: ['tester', 'team'] });
    const log = captureLog();
    const steps = stepsTo(server.url, log, { entity: 'team', stepsPerRun: 2 });
    for (const record of [step('run-a', 1), step('run-a', 2), step('run-a', 3), step('run-b', 1)]) {
      steps.log(record);
    }
    await steps.finish();
    expect(server.requests.some((r) => r.operation === 'Viewer')).toBe(false);
    expect(server.runs.map((r) => [r.entity, r.history.map((h) => h._step), r.exitcode])).toEqual([
      ['team', [1, 2], 0],
      ['team', [3], 0],
      ['team', [1], 0],
    ]);
  });

  it('on a 500 warns once, keeps the step and sends it with the next one', async () => {
    const server = await double();
    const log = captureLog();
    const steps = stepsTo(server.url, log);
    server.inject({ match: 'file_stream', status: 500, times: 2 });
    steps.log(step('run-a', 1));
    await steps.idle();
    steps.log(step('run-a', 2));
    await steps.idle();
    expect(server.runs[0]!.history).toEqual([]);
    steps.log(step('run-a', 3));
    await steps.finish();
    expect(server.runs[0]!.history.map((r) => r._step)).toEqual([1, 2, 3]);
    const lines = log.lines();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({
        msg: expect.stringMatching(/Weights & Biases logging failed; the validator goes on/),
        error: 'W&B file_stream: HTTP 500',
      }),
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'Weights & Biases logging works again' }),
    );
    expectNoKey(log.text());
  });

  it('with W&B down: one warning for every step, and finish returns', async () => {
    const server = await double();
    await server.close();
    const log = captureLog();
    const steps = stepsTo(server.url, log);
    for (let n = 1; n <= 3; n++) {
      steps.log(step('run-a', n));
      await steps.idle();
    }
    await steps.finish();
    const warnings = log.lines().filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.msg)).toEqual([
      'Weights & Biases logging failed; the validator goes on and retries with the next step',
      'steps not sent to Weights & Biases (the step history has them)',
    ]);
    expect(warnings[0]!.error).toBe('W&B Viewer: ECONNREFUSED');
    expectNoKey(log.text());
  });

  it('gives up on a slow request after its timeout, and on the shutdown after its deadline', async () => {
    const server = await double();
    const log = captureLog();
    server.inject({ match: 'file_stream', delayMs: 60_000 });
    const steps = stepsTo(server.url, log, {
      api: new WandbApi({ baseUrl: server.url, apiKey: KEY, timeoutMs: 200 }),
    });
    steps.log(step('run-a', 1));
    await steps.idle();
    expect(log.lines().find((l) => l.level === 'warn')?.error).toBe(
      'W&B file_stream: no answer within 0.2 s',
    );
    // Requests that could take 60 s each: finish abandons them after its 300 ms.
    const patient = stepsTo(server.url, log, {
      api: new WandbApi({ baseUrl: server.url, apiKey: KEY, timeoutMs: 60_000 }),
    });
    patient.log(step('run-b', 1));
    await patient.finish(300);
    expect(log.lines().map((l) => l.msg)).toContain(
      'Weights & Biases did not answer in time at shutdown; its run is left open',
    );
    expectNoKey(log.text());
  });

  it('reports a refused key or entity without the key', async () => {
    const wrongKey = await double({ apiKey: 'another-key' });
    const log = captureLog();
    const steps = stepsTo(wrongKey.url, log);
    steps.log(step('run-a', 1));
    await steps.finish();
    const refused = await double();
    const entity = stepsTo(refused.url, log, { entity: 'someone-else' });
    entity.log(step('run-a', 1));
    await entity.finish();
    const warned = log.lines().filter((l) => l.level === 'warn' && l.error !== undefined);
    expect(warned.map((l) => l.error)).toEqual([
      'W&B Viewer: HTTP 401',
      'W&B UpsertBucket: permission denied for entity someone-else',
    ]);
    expect(refused.runs).toEqual([]);
    expectNoKey(log.text());
  });

  it('keeps at most maxPending steps while W&B fails, dropping the oldest', async () => {
    const server = await double();
    const log = captureLog();
    const steps = stepsTo(server.url, log, { maxPending: 2 });
    server.inject({ match: 'UpsertBucket', status: 503 });
    for (let n = 1; n <= 3; n++) {
      steps.log(step('run-a', n));
      await steps.idle();
    }
    server.clearFaults();
    steps.log(step('run-a', 4));
    await steps.finish();
    expect(server.runs.map((r) => r.history.map((h) => h._step))).toEqual([[3, 4]]);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({ msg: 'Weights & Biases logging works again', dropped: 2 }),
    );
  });
});
