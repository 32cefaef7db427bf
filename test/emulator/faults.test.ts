import { exports } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { control, createPod, jd, ORIGIN } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
});

const quota = '/regions/cn-north-1/quotas';
const describeQuota = () => jd('GET', quota, { query: { resourceType: 'pod' } });

describe('fault injection', () => {
  it('fails the next N calls of an operation with the given status, then recovers', async () => {
    const armed = await control('POST', 'faults', {
      operation: 'describeQuota',
      count: 2,
      status: 503,
    });
    expect(armed.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const answer = await describeQuota();
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    }
    expect((await describeQuota()).status).toBe(200);
  });

  it('maps 429 to RATE_LIMIT and only touches the named operation', async () => {
    await control('POST', 'faults', { operation: 'createPods', status: 429 });
    expect((await describeQuota()).status).toBe(200);
    const limited = await jd('POST', '/regions/cn-north-1/pods', { body: { maxCount: 1 } });
    expect(limited.body.error).toMatchObject({ code: 429, status: 'RATE_LIMIT' });
  });

  it('delays a call, then serves it', async () => {
    await control('POST', 'faults', { operation: 'describeQuota', delayMs: 50 });
    const started = Date.now();
    expect((await describeQuota()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('hangs a call until the client gives up', async () => {
    await control('POST', 'faults', { operation: 'describeQuota', hang: true, hangMs: 60_000 });
    const { signRequest } = await import('../../src/jdcloud/signature');
    const url = `${ORIGIN}/v1${quota}?resourceType=pod`;
    const headers = await signRequest({
      method: 'GET',
      url,
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
      region: 'cn-north-1',
    });
    const outcome = await Promise.race([
      exports.default.fetch(new Request(url, { headers })).then(() => 'answered'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 200)),
    ]);
    expect(outcome).toBe('still waiting');
  });

  it('drops the connection: the client sees an error, not an answer', async () => {
    await control('POST', 'faults', { operation: 'describeQuota', drop: true });
    await expect(describeQuota()).rejects.toThrow();
  });

  it('refuses a malformed fault', async () => {
    const res = await control('POST', 'faults', {
      operation: 'describeQuota',
      status: 503,
      delayMs: 5,
    });
    expect(res.status).toBe(400);
    const unknown = await control('POST', 'faults', { operation: 'launchRocket', status: 500 });
    expect(unknown.status).toBe(400);
  });

  it('logs every JD call with its operation and status', async () => {
    await createPod();
    await describeQuota();
    const calls = (await (await control('GET', 'calls')).json()) as {
      calls: { operation: string; status: number }[];
    };
    expect(calls.calls.map((c) => [c.operation, c.status])).toEqual([
      ['createPods', 200],
      ['describeQuota', 200],
    ]);
    const filtered = (await (await control('GET', 'calls?operation=createPods')).json()) as {
      calls: unknown[];
    };
    expect(filtered.calls).toHaveLength(1);
  });
});
