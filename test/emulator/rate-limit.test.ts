import { beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, control, DEV_CREDENTIALS, jd } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
  await control('POST', 'clock', { freeze: true });
});

const describeQuota = () =>
  jd('GET', '/regions/cn-north-1/quotas', { query: { resourceType: 'pod' } });

const settings = (body: Record<string, number>) => control('PUT', 'settings', body);

describe("JD Cloud's rate limit", () => {
  it('answers 429 RATE_LIMIT in JD envelope past the calls per minute, until the window moves', async () => {
    await settings({ callsPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await describeQuota()).status).toBe(200);
    const limited = await describeQuota();
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 429, status: 'RATE_LIMIT' });
    expect(limited.requestIdHeader).toBe(limited.body.requestId);
    await advanceClock(59_999);
    expect((await describeQuota()).status).toBe(429);
    await advanceClock(1);
    expect((await describeQuota()).status).toBe(200);
  });

  it('counts per access key, after the signature check', async () => {
    await settings({ callsPerMinute: 1 });
    expect((await describeQuota()).status).toBe(200);
    const stranger = await jd('GET', '/regions/cn-north-1/quotas', {
      credentials: { ...DEV_CREDENTIALS, accessKeyId: 'someone-else' },
    });
    expect(stranger.status).toBe(401);
    expect((await describeQuota()).status).toBe(429);
  });

  it('logs refused calls, and reports the busiest window of the call log', async () => {
    await settings({ callsPerMinute: 2 });
    for (let i = 0; i < 3; i++) await describeQuota();
    await advanceClock(60_000);
    await describeQuota();
    const log = (await (await control('GET', 'calls')).json()) as {
      calls: { status: number; fault: string | null }[];
    };
    expect(log.calls.map((c) => [c.status, c.fault])).toEqual([
      [200, null],
      [200, null],
      [429, 'rateLimit'],
      [200, null],
    ]);
    const rate = await (await control('GET', 'calls/rate?windowMs=60000')).json();
    expect(rate).toEqual({ windowMs: 60_000, total: 4, maxInWindow: 3 });
  });

  it('is off at 0 and reads back with the other settings', async () => {
    const res = await settings({ callsPerMinute: 0 });
    expect(await res.json()).toMatchObject({ callsPerMinute: 0, latencyMs: 0 });
    for (let i = 0; i < 5; i++) expect((await describeQuota()).status).toBe(200);
    expect((await settings({})).status).toBe(400);
  });
});

describe('per-call latency', () => {
  it('makes every JD call take at least latencyMs, but no control call', async () => {
    await settings({ latencyMs: 120 });
    const started = Date.now();
    expect((await describeQuota()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    const controlStarted = Date.now();
    await control('GET', 'settings');
    expect(Date.now() - controlStarted).toBeLessThan(120);
  });
});
