import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StepHistory, type StepResult } from '@pretrain/core';
import { startDashboardServer, type DashboardServer } from './dashboard-server.js';
import { LiveState } from './live-state.js';

const row = (uid: number, loss: number, weight: number) => ({
  uid,
  hotkey: `5Hotkey${uid}`,
  averageLoss: loss,
  winRate: weight,
  wins: 1,
  weight,
  block: 10 + uid,
  losses: [loss, loss + 0.1],
  stepWeight: weight,
  model: { namespace: 'miner', name: `m${uid}`, commit: 'a'.repeat(40), hash: 'h' },
});
const step = (n: number): StepResult => ({
  step: n,
  block: 100 + n,
  rows: [row(1, 2.5, 0.2), row(2, 1.5, 0.8)],
  batchCount: 2,
  evaluations: 2,
  durationMs: 10,
  tokensPerSecond: 100,
  weights: [0, 0.2, 0.8],
  nextUids: [1, 2],
});

/** GET `path` with a raw request target (no client-side normalisation); status, headers, body. */
function get(
  server: DashboardServer,
  path: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard server', () => {
  let dir: string;
  let server: DashboardServer;
  let history: StepHistory;
  const live = new LiveState();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pretrain-dashboard-'));
    history = await StepHistory.open(dir);
    await history.recordStep('run', step(1));
    await history.recordWeights({ block: 103, uids: [1, 2], values: [16384, 49151] });
    await history.recordStep('run', step(2));
    server = await startDashboardServer({ history, live, label: 'netuid 9' }, 0);
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds loopback by default and serves the page and its modules', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const page = await get(server, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<table id="leaderboard">');
    const module = await get(server, '/assets/page/svg-chart.js');
    expect(module.status).toBe(200);
    expect(module.type).toMatch(/javascript/);
    expect(module.body).toContain('lineChartSvg');
  });

  it('answers the JSON API: leaderboard by weight, steps without batch losses, the newest with them', async () => {
    const board = JSON.parse((await get(server, '/api/leaderboard')).body) as {
      rows: { rank: number; uid: number; weightOnChain: number; url: string }[];
    };
    expect(board.rows.map((r) => [r.rank, r.uid])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(board.rows[0]!.weightOnChain).toBeCloseTo(49151 / 65535, 6);
    expect(board.rows[0]!.url).toBe(`https://huggingface.co/miner/m2/tree/${'a'.repeat(40)}`);
    const steps = JSON.parse((await get(server, '/api/steps?limit=1')).body) as {
      steps: { step: number; rows: { losses?: unknown }[] }[];
    };
    expect(steps.steps.map((s) => s.step)).toEqual([2]);
    expect(steps.steps[0]!.rows[0]!.losses).toBeUndefined();
    const latest = JSON.parse((await get(server, '/api/steps/latest')).body) as {
      step: { rows: { losses: number[] }[] };
    };
    expect(latest.step.rows[0]!.losses).toEqual([2.5, 2.6]);
    const summary = JSON.parse((await get(server, '/api/summary')).body) as Record<string, unknown>;
    expect(summary).toMatchObject({ step: 2, run: 'run', label: 'netuid 9', mode: 'live' });
  });

  it('gives bad input a 4xx and keeps serving', async () => {
    expect((await get(server, '/api/nope')).status).toBe(404);
    expect((await get(server, '/etc/passwd')).status).toBe(404);
    expect((await get(server, '/assets/../../package.json')).status).toBe(404);
    expect((await get(server, `/api/steps?limit=${'9'.repeat(1000)}`)).status).toBe(400);
    expect((await get(server, '/api/steps?limit=-1')).status).toBe(400);
    expect((await get(server, '/api/steps?limit=0x10')).status).toBe(400);
    expect((await get(server, `/api/steps?limit=${'1'.repeat(5000)}`)).status).toBe(414);
    expect((await get(server, '/api/leaderboard', { method: 'POST' })).status).toBe(405);
    expect((await get(server, '/api/leaderboard', { method: 'DELETE' })).status).toBe(405);
    // DNS rebinding: a page on another name must not read a loopback dashboard.
    expect((await get(server, '/api/leaderboard', { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(server, '/api/summary', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(server, '/api/summary')).status).toBe(200);
  });

  it('streams live state and new steps as server-sent events', async () => {
    const frames: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events' }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.setEncoding('utf8').on('data', (chunk: string) => {
          frames.push(chunk);
          if (frames.join('').includes('event: step')) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (error) => (frames.join('').includes('event: step') ? resolve() : reject(error)));
      req.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    live.observer().onStepStart?.({ step: 3, block: 104, uids: [1, 2], batchCount: 2 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await history.recordStep('run', step(3));
    await done;
    const text = frames.join('');
    expect(text).toMatch(/^event: live\ndata: \{/);
    expect(text).toContain('"step":3,"block":104');
    expect(text).toContain('event: step\ndata: {"run":"run","step":3}');
  });

  it('refuses a taken port with a usage error', async () => {
    await expect(startDashboardServer({ history, live, label: '' }, server.port)).rejects.toThrow(
      /cannot serve the dashboard on 127.0.0.1/,
    );
  });
});
