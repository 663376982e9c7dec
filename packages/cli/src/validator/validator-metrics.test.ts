import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepResult } from '@pretrain/core';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { ValidatorMetrics } from './validator-metrics.js';

const step: StepResult = {
  step: 1,
  block: 120,
  rows: [
    { uid: 1, hotkey: '5A', averageLoss: 2, winRate: 1, wins: 4, weight: 0.5, block: 10 },
    {
      uid: 2,
      hotkey: '5B',
      averageLoss: Infinity,
      winRate: 0,
      wins: 0,
      weight: 0,
      block: 11,
      failure: 'eval-timeout',
    },
  ],
  batchCount: 4,
  evaluations: 2,
  durationMs: 42_000,
  tokensPerSecond: 1234.5,
  weights: [0, 0.5, 0],
  nextUids: [1, 2],
};

describe('validator metrics over HTTP', () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('serves step duration, models, rejections, tokens/s, weights and the last weights block', async () => {
    const metrics = new ValidatorMetrics();
    const observer = metrics.observer();
    observer.onStepDone?.(step);
    observer.onRejection?.({ reason: 'hash-mismatch', hotkey: '5C', message: 'bad hash' });
    observer.onRejection?.({ reason: 'eval-timeout', hotkey: '5B', uid: 2, message: 'killed' });
    observer.onWeightsSet?.({ block: 150, uids: [1], values: [65535] });
    server = await startMetricsServer(metrics.registry, 0, '127.0.0.1');
    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('pretrain_validator_step_duration_seconds_sum 42');
    expect(text).toContain('pretrain_validator_step_duration_seconds_count 1');
    expect(text).toContain('pretrain_validator_models_evaluated_total{outcome="ok"} 1');
    expect(text).toContain('pretrain_validator_models_evaluated_total{outcome="eval-timeout"} 1');
    expect(text).toContain('pretrain_validator_rejections_total{reason="hash-mismatch"} 1');
    expect(text).toContain('pretrain_validator_tokens_per_second 1234.5');
    expect(text).toContain('pretrain_validator_weight{uid="1"} 0.5');
    expect(text).not.toContain('pretrain_validator_weight{uid="2"}');
    expect(text).toContain('pretrain_validator_last_set_weights_block 150');
    // The process's own figures, which a soak run samples.
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^process_open_fds \d+/m);
  });

  it('binds the loopback interface unless told otherwise', async () => {
    server = await startMetricsServer(new ValidatorMetrics().registry, 0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    // Reachable on loopback; a non-loopback address of this machine, when there is one, is refused.
    expect((await fetch(server.url)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    if (external !== undefined) {
      await expect(fetch(`http://${external}:${server.port}/metrics`)).rejects.toThrow();
    }
  });

  it('answers 404 elsewhere and reports a taken port', async () => {
    server = await startMetricsServer(new ValidatorMetrics().registry, 0, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    await expect(
      startMetricsServer(new ValidatorMetrics().registry, server.port, '127.0.0.1'),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
