/**
 * The client and an injected JD call budget: one acquire per HTTP attempt at the call's
 * priority, a 429 RATE_LIMIT reported before the retry, a refusal passed on and never retried.
 */
import { describe, expect, it } from 'vitest';
import { JdBudgetExhaustedError, type JdCallBudget, type JdCallPriority } from './budget';
import { createJdClient } from './client';
import { isJdStatus } from './errors';
import { fakeTransport, jdError, jdOk } from './fake-transport';

function recordingBudget(refuse?: JdCallPriority) {
  const acquired: string[] = [];
  const limited: (number | undefined)[] = [];
  const budget: JdCallBudget = {
    async acquire(priority, op) {
      if (priority === refuse) throw new JdBudgetExhaustedError(op, priority, 2_500);
      acquired.push(`${op}:${priority}`);
    },
    rateLimited: (seconds) => limited.push(seconds),
  };
  return { budget, acquired, limited };
}

function client(budget: JdCallBudget, answers: (() => Response)[]) {
  const transport = fakeTransport((_req, n) =>
    (answers[Math.min(n, answers.length) - 1] ?? (() => jdOk({})))(),
  );
  return {
    jd: createJdClient({
      endpoint: 'https://pod.jdcloud-api.com',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      fetch: transport.fetch,
      sleep: async () => {},
      random: () => 0,
      budget,
    }),
    requests: transport.requests,
  };
}

const pod = { podId: 'pod-1' };

describe('JD call budget in the client', () => {
  it('asks once per call: reads at read priority, writes at action priority', async () => {
    const { budget, acquired } = recordingBudget();
    const { jd } = client(budget, [() => jdOk({ pod })]);
    await jd.describePod('cn-north-1', 'pod-1');
    await jd.stopPod('cn-north-1', 'pod-1');
    expect(acquired).toEqual(['describePod:read', 'stopPod:action']);
  });

  it('withPriority sets the priority of every call of that view', async () => {
    const { budget, acquired } = recordingBudget();
    const { jd } = client(budget, [() => jdOk({ pods: [], totalCount: 0 })]);
    await jd.withPriority('sync').listAllPods('cn-north-1');
    await jd.withPriority('sync').withPriority('action').describePods('cn-north-1');
    expect(acquired).toEqual(['describePods:sync', 'describePods:action']);
  });

  it('reports a 429 RATE_LIMIT and asks again before the retry', async () => {
    const { budget, acquired, limited } = recordingBudget();
    const { jd, requests } = client(budget, [
      () => jdError(429, 'RATE_LIMIT', 'too frequent', 'r', { 'retry-after': '2' }),
      () => jdOk({ pod }),
    ]);
    await jd.describePod('cn-north-1', 'pod-1');
    expect(requests).toHaveLength(2);
    expect(acquired).toEqual(['describePod:read', 'describePod:read']);
    expect(limited).toEqual([2]);
  });

  it('does not report a quota refusal, which is no rate limit', async () => {
    const { budget, limited } = recordingBudget();
    const { jd } = client(budget, [() => jdError(429, 'QUOTA_EXCEEDED', 'quota')]);
    await expect(
      jd.createPods('cn-north-1', { podSpec: {} as never, maxCount: 1, clientToken: 't' }),
    ).rejects.toThrow(/QUOTA_EXCEEDED/);
    expect(limited).toEqual([]);
  });

  it('passes a refusal on as a 429 RATE_LIMIT without calling JD or retrying', async () => {
    const { budget } = recordingBudget('sync');
    const { jd, requests } = client(budget, [() => jdOk({ pod })]);
    const failure = await jd
      .withPriority('sync')
      .describePod('cn-north-1', 'pod-1')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JdBudgetExhaustedError);
    expect(isJdStatus(failure, 'RATE_LIMIT')).toBe(true);
    expect((failure as JdBudgetExhaustedError).retryAfterSeconds).toBe(3);
    expect(requests).toHaveLength(0);
  });
});
