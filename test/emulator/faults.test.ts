import { exports } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { control, createPod, jd, ORIGIN, phaseOf } from './helpers';

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

  it('acts, then answers late (delayAfterMs): the work is logged before the answer', async () => {
    const podId = await createPod();
    await control('POST', 'clock', { advanceMs: 3_600_000, freeze: true });
    await control('POST', 'faults', { operation: 'stopPod', delayAfterMs: 300 });
    const started = Date.now();
    const stopping = jd('POST', `/regions/cn-north-1/pods/${podId}:stopPod`);
    // The call is logged when it acts, which is before its answer leaves.
    let logged: { status: number; fault: string }[] = [];
    while (logged.length === 0) {
      const res = await control('GET', 'calls?operation=stopPod');
      logged = ((await res.json()) as { calls: typeof logged }).calls;
    }
    expect(logged).toMatchObject([{ status: 200, fault: 'delayAfter' }]);
    expect(await phaseOf(podId)).toBe('stopping');
    expect((await stopping).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('acts, then holds the answer until the test releases it (holdAfter)', async () => {
    const podId = await createPod();
    await control('POST', 'clock', { advanceMs: 3_600_000 });
    await control('POST', 'faults', { operation: 'deletePod', holdAfter: true });
    let answered = false;
    const deleting = jd('DELETE', `/regions/cn-north-1/pods/${podId}`).then((answer) => {
      answered = true;
      return answer;
    });
    const held = (await (await control('GET', 'held?operation=deletePod&waitMs=10000')).json()) as {
      held: { id: number; operation: string; status: number }[];
    };
    expect(held.held).toMatchObject([{ operation: 'deletePod', status: 200 }]);
    // Acted: other calls see the pod deleting while the answer waits.
    expect(await phaseOf(podId)).toBe('deleting');
    expect(answered).toBe(false);
    const released = await control('POST', 'held/release', { id: held.held[0]?.id });
    expect(await released.json()).toEqual({ released: 1 });
    expect((await deleting).status).toBe(200);
    const after = (await (await control('GET', 'held')).json()) as { held: unknown[] };
    expect(after.held).toEqual([]);
  });

  it('holds a refused call too, and a hold ends by itself after hangMs', async () => {
    await control('POST', 'faults', { operation: 'describePod', holdAfter: true, hangMs: 50 });
    const answer = await jd('GET', '/regions/cn-north-1/pods/pod-missing');
    expect(answer.status).toBe(404);
  });

  it('waits for a held call for at most waitMs, answering none when none came', async () => {
    const res = await control('GET', 'held?operation=stopPod&waitMs=20');
    expect(await res.json()).toEqual({ held: [] });
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
    const both = await control('POST', 'faults', {
      operation: 'stopPod',
      delayAfterMs: 5,
      holdAfter: true,
    });
    expect(both.status).toBe(400);
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
