import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubTestServer, type HubTestServer } from '../testing/hub-test-server.js';
import { createRetryingFetch, retryAfterMs } from './retrying-fetch.js';

describe('createRetryingFetch', () => {
  let server: HubTestServer;
  beforeAll(async () => {
    server = await startHubTestServer();
  });
  afterAll(() => server.close());

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:05 GMT', Date.parse('Wed, 25 Nov 2026 10:00:00 GMT'))).toBe(
      5000,
    );
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('returns the last failing response once the attempts run out', async () => {
    server.inject({ path: '/size', status: 502, times: 3 });
    const response = await createRetryingFetch({ attempts: 3, baseDelayMs: 1 })(
      `${server.url}/size?dataset=x`,
    );
    expect(response.status).toBe(502);
    expect(server.requests.filter((r) => r.path === '/size')).toHaveLength(3);
  });

  it('does not retry a 4xx, nor a request the policy marks as unsafe to repeat', async () => {
    const fetch = createRetryingFetch({
      attempts: 3,
      baseDelayMs: 1,
      canRetry: (_url, init) => init?.method !== 'POST',
    });
    server.requests.length = 0;
    expect((await fetch(`${server.url}/size?dataset=unknown`)).status).toBe(404);
    server.inject({ path: '/api/repos/create', status: 500 });
    expect((await fetch(`${server.url}/api/repos/create`, { method: 'POST', body: '{}' })).status).toBe(500);
    expect(server.requests.map((r) => r.status)).toEqual([404, 500]);
  });

  it('abandons an attempt whose answer is late and tries again', async () => {
    server.inject({ path: '/size', delayMs: 500 });
    const response = await createRetryingFetch({ attempts: 2, baseDelayMs: 1, timeoutMs: 100 })(
      `${server.url}/size?dataset=tiiuae/falcon-refinedweb`,
    );
    expect(response.status).toBe(200);
  });
});
