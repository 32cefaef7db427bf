/**
 * Failure behaviour: error mapping, timeouts and retries, on a virtual clock (no real waiting).
 */
import { describe, expect, it } from 'vitest';
import type { JdCallInfo } from './call';
import { createJdClient, type JdClientOptions } from './client';
import {
  isJdStatus,
  JdCloudError,
  JdInvalidResponseError,
  JdNetworkError,
  JdTimeoutError,
} from './errors';
import { type FakeHandler, fakeTransport, jdError, jdOk } from './fake-transport';
import type { JdPodSpec } from './models';

const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' };
const TIMEOUT = 5_000;

/** A clock that only moves when told to: by backoff sleeps or by a handler. */
function virtualClock() {
  let now = 1_700_000_000_000;
  let timers: { at: number; fn: () => void }[] = [];
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((t) => t.at <= now);
    timers = timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
  };
  const sleeps: number[] = [];
  return {
    sleeps,
    advance,
    pendingTimers: () => timers.length,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      advance(ms);
    },
    setTimer: (fn: () => void, ms: number) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
  };
}

function setup(handler: FakeHandler, options: Partial<JdClientOptions> = {}) {
  const clock = virtualClock();
  const transport = fakeTransport(handler);
  const calls: JdCallInfo[] = [];
  const client = createJdClient({
    endpoint: 'https://pod.jdcloud-api.com',
    credentials,
    fetch: transport.fetch,
    timeoutMs: TIMEOUT,
    retry: { budgetMs: 20_000, baseMs: 200, maxDelayMs: 5_000, maxAttempts: 4 },
    now: clock.now,
    sleep: clock.sleep,
    setTimer: clock.setTimer,
    random: () => 0.5,
    onCall: (_op, info) => calls.push(info),
    ...options,
  });
  return { client, clock, requests: transport.requests, calls };
}

/** Calls the handler's answers in turn; the last one repeats. */
const sequence =
  (...answers: (() => Response | Promise<Response>)[]): FakeHandler =>
  (_req, n) =>
    (answers[Math.min(n, answers.length) - 1] ?? (() => jdOk({})))();

const pod = { podId: 'pod-1' };
const unavailable = () => jdError(503, 'UNAVAILABLE', 'try later');

describe('error mapping', () => {
  it('maps the JD error envelope to a JdCloudError', async () => {
    const { client } = setup(() => jdError(400, 'FAILED_PRECONDITION', 'pod is running', 'r-42'));
    const error = await client
      .rebuildPod('cn-north-1', 'pod-1', { containers: [] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(JdCloudError);
    expect(error).toMatchObject({
      kind: 'api',
      op: 'rebuildPod',
      httpCode: 400,
      status: 'FAILED_PRECONDITION',
      jdMessage: 'pod is running',
      requestId: 'r-42',
    });
    expect(error.message).toBe(
      'JD Cloud rebuildPod failed: 400 FAILED_PRECONDITION: pod is running (requestId r-42)',
    );
    expect(isJdStatus(error, 'FAILED_PRECONDITION')).toBe(true);
  });

  it('maps a non-JSON error page by its HTTP status and request-id header', async () => {
    const { client } = setup(
      () =>
        new Response('<html>bad gateway</html>', {
          status: 404,
          statusText: 'Not Found',
          headers: { 'x-jdcloud-request-id': 'r-h' },
        }),
    );
    await expect(client.describePod('cn-north-1', 'pod-1')).rejects.toMatchObject({
      kind: 'api',
      httpCode: 404,
      status: 'NOT_FOUND',
      jdMessage: 'Not Found',
      requestId: 'r-h',
    });
  });

  it('treats an error envelope as an error even with HTTP 200', async () => {
    const { client } = setup(() =>
      Response.json({ requestId: 'r', error: { code: 401, status: 'ACCESS_ERROR', message: 'x' } }),
    );
    await expect(client.stopPod('cn-north-1', 'pod-1')).rejects.toMatchObject({
      httpCode: 401,
      status: 'ACCESS_ERROR',
    });
  });

  it('rejects a success whose result is not the documented shape', async () => {
    const { client } = setup(() => jdOk({ pod: { name: 'no id' } }, 'r-bad'));
    const error = await client.describePod('cn-north-1', 'pod-1').catch((e) => e);
    expect(error).toBeInstanceOf(JdInvalidResponseError);
    expect(error).toMatchObject({ kind: 'invalid-response', httpCode: 200, requestId: 'r-bad' });
    expect(error.detail).toMatch(/pod\.podId/);
  });

  it('maps a transport failure to JdNetworkError', async () => {
    const { client } = setup(() => {
      throw new TypeError('fetch failed');
    });
    const error = await client.deletePod('cn-north-1', 'pod-1').catch((e) => e);
    expect(error).toBeInstanceOf(JdNetworkError);
    expect(error).toMatchObject({ kind: 'network', detail: 'TypeError: fetch failed' });
  });

  it('aborts after the timeout and maps it to JdTimeoutError', async () => {
    const { client, clock, calls } = setup(() => {
      clock.advance(TIMEOUT - 1);
      expect(clock.pendingTimers()).toBe(1);
      clock.advance(1);
      return new Promise<Response>(() => {});
    });
    const error = await client.startPod('cn-north-1', 'pod-1').catch((e) => e);
    expect(error).toBeInstanceOf(JdTimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: TIMEOUT });
    expect(calls.map((c) => c.outcome)).toEqual(['timeout']);
  });

  it('cancels the timeout timer once answered', async () => {
    const { client, clock } = setup(() => jdOk({ pod }));
    await client.describePod('cn-north-1', 'pod-1');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('retries', () => {
  it('retries a read on 503 with full-jitter exponential backoff', async () => {
    const { client, clock, calls } = setup(sequence(unavailable, unavailable, () => jdOk({ pod })));
    expect(await client.describePod('cn-north-1', 'pod-1')).toEqual(pod);
    expect(calls.map((c) => [c.attempt, c.outcome, c.httpCode])).toEqual([
      [1, 'api', 503],
      [2, 'api', 503],
      [3, 'ok', 200],
    ]);
    // random() = 0.5 of ceilings 200 and 400.
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it.each([429, 500, 502, 503, 504])('retries a read on %i', async (code) => {
    const { client, requests } = setup(
      sequence(
        () => jdError(code, 'X', 'transient'),
        () => jdOk({ pods: [], totalCount: 0 }),
      ),
    );
    await client.describePods('cn-north-1');
    expect(requests).toHaveLength(2);
  });

  it('retries network errors and timeouts of reads', async () => {
    const { client, clock, requests } = setup(
      sequence(
        () => {
          throw new TypeError('connection reset');
        },
        () => {
          clock.advance(TIMEOUT);
          return new Promise<Response>(() => {});
        },
        () => jdOk({ pod }),
      ),
    );
    expect(await client.describePod('cn-north-1', 'pod-1')).toEqual(pod);
    expect(requests).toHaveLength(3);
  });

  it('retries createPods with the same clientToken and body', async () => {
    const podSpec = {
      name: 'p',
      instanceType: 't',
      az: 'a',
      containers: [],
    } as unknown as JdPodSpec;
    const { client, clock, requests } = setup(
      sequence(
        () => {
          clock.advance(TIMEOUT);
          return new Promise<Response>(() => {});
        },
        () => jdOk({ podIds: ['pod-9'] }),
      ),
    );
    const result = await client.createPods('cn-north-1', {
      podSpec,
      maxCount: 1,
      clientToken: 'ct',
    });
    expect(result.podIds).toEqual(['pod-9']);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    expect(JSON.parse(requests[1]?.body ?? '{}').clientToken).toBe('ct');
  });

  it.each([
    ['stopPod', 503],
    ['startPod', 500],
    ['rebuildPod', 502],
    ['deletePod', 504],
    ['createSecret', 429],
  ])('never retries %s (HTTP %i)', async (op, code) => {
    const { client, requests } = setup(() => jdError(code, 'UNAVAILABLE', 'no'));
    const calls: Record<string, () => Promise<unknown>> = {
      stopPod: () => client.stopPod('cn-north-1', 'pod-1'),
      startPod: () => client.startPod('cn-north-1', 'pod-1'),
      rebuildPod: () => client.rebuildPod('cn-north-1', 'pod-1', { containers: [] }),
      deletePod: () => client.deletePod('cn-north-1', 'pod-1'),
      createSecret: () =>
        client.createSecret('cn-north-1', {
          name: 's',
          secretType: 'docker-registry',
          data: { server: 'a', username: 'b', password: 'c' },
        }),
    };
    await expect(calls[op]?.()).rejects.toMatchObject({ httpCode: code });
    expect(requests).toHaveLength(1);
  });

  it('never retries a non-idempotent write after a timeout or network error', async () => {
    const timedOut = setup((_r) => {
      timedOut.clock.advance(TIMEOUT);
      return new Promise<Response>(() => {});
    });
    await expect(timedOut.client.stopPod('cn-north-1', 'pod-1')).rejects.toBeInstanceOf(
      JdTimeoutError,
    );
    expect(timedOut.requests).toHaveLength(1);
    const reset = setup(() => {
      throw new TypeError('reset');
    });
    await expect(
      reset.client.rebuildPod('cn-north-1', 'p', { containers: [] }),
    ).rejects.toBeInstanceOf(JdNetworkError);
    expect(reset.requests).toHaveLength(1);
  });

  it('does not retry client errors or an exhausted quota', async () => {
    for (const answer of [
      () => jdError(400, 'INVALID_ARGUMENT', 'bad'),
      () => jdError(404, 'NOT_FOUND', 'gone'),
      () => jdError(429, 'QUOTA_EXCEEDED', 'Quota exceeded'),
    ]) {
      const { client, requests } = setup(answer);
      await expect(client.describePod('cn-north-1', 'pod-1')).rejects.toBeInstanceOf(JdCloudError);
      expect(requests).toHaveLength(1);
    }
  });

  it('honours Retry-After on 429', async () => {
    const { client, clock } = setup(
      sequence(
        () => jdError(429, 'RATE_LIMIT', 'slow down', 'r', { 'retry-after': '3' }),
        () => jdOk({ pod }),
      ),
    );
    await client.describePod('cn-north-1', 'pod-1');
    expect(clock.sleeps).toEqual([3_000]);
  });

  it('stops at maxAttempts', async () => {
    const { client, requests } = setup(unavailable);
    await expect(client.describePod('cn-north-1', 'pod-1')).rejects.toMatchObject({
      httpCode: 503,
    });
    expect(requests).toHaveLength(4);
  });

  it('starts no attempt that the backoff would push past the budget', async () => {
    const { client, clock, requests } = setup(unavailable, {
      random: () => 0.999,
      retry: { budgetMs: 2_500, baseMs: 1_000, maxAttempts: 10 },
    });
    await expect(client.describePod('cn-north-1', 'pod-1')).rejects.toMatchObject({
      httpCode: 503,
    });
    // Waits 999 ms, then 1998 ms would end at 2997 ms > 2500 ms.
    expect(clock.sleeps).toEqual([999]);
    expect(requests).toHaveLength(2);
  });

  it('counts a successful GET as one JD call', async () => {
    const { client, calls } = setup(() => jdOk({ pod }, 'r-1'));
    await client.describePod('cn-north-1', 'pod-1');
    expect(calls).toEqual([
      {
        op: 'describePod',
        method: 'GET',
        path: '/v1/regions/cn-north-1/pods/pod-1',
        regionId: 'cn-north-1',
        attempt: 1,
        outcome: 'ok',
        httpCode: 200,
        requestId: 'r-1',
        durationMs: 0,
      },
    ]);
  });
});
