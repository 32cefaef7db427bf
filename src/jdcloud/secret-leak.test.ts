/**
 * The secret access key must never appear in an error, its message, stack or JSON, in what the
 * transport receives, or in what onCall reports, whatever the failure kind.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { JdCallInfo } from './call';
import { createJdClient } from './client';
import { type FakeHandler, fakeTransport, jdError, jdOk } from './fake-transport';

const SECRET = 'Zk9sEcReT-7f3a1c9e-unique-value';
const credentials = { accessKeyId: 'AKID-visible', secretAccessKey: SECRET };

const failures: [string, (advance: (ms: number) => void) => FakeHandler][] = [
  ['api error', () => () => jdError(401, 'UNAUTHENTICATED', 'signature mismatch')],
  ['non-JSON error', () => () => new Response('oops', { status: 500 })],
  ['invalid response', () => () => jdOk({ pod: { podId: 42 } })],
  [
    'network error',
    () => () => {
      throw new TypeError('fetch failed');
    },
  ],
  [
    'timeout',
    (advance) => () => {
      advance(1_000);
      return new Promise<Response>(() => {});
    },
  ],
];

/** Every rendering of an error a log line or a response body could contain. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { depth: 10 })];
}

describe('the secret access key never leaks', () => {
  it.each(failures)('%s', async (_name, handlerFor) => {
    let now = 0;
    let timers: { at: number; fn: () => void }[] = [];
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) t.fn();
      timers = timers.filter((t) => t.at > now);
    };
    const transport = fakeTransport(handlerFor(advance));
    const calls: JdCallInfo[] = [];
    const client = createJdClient({
      endpoint: 'https://pod.jdcloud-api.com',
      credentials,
      fetch: transport.fetch,
      timeoutMs: 1_000,
      retry: { maxAttempts: 2 },
      now: () => now,
      sleep: async (ms) => advance(ms),
      setTimer: (fn, ms) => {
        const timer = { at: now + ms, fn };
        timers.push(timer);
        return () => {
          timers = timers.filter((t) => t !== timer);
        };
      },
      onCall: (_op, info) => calls.push(info),
    });
    const errors = await Promise.all([
      client.describePod('cn-north-1', 'pod-1').catch((e: unknown) => e),
      client.stopPod('cn-north-1', 'pod-1').catch((e: unknown) => e),
    ]);
    // stopPod ignores its result, so only describePod fails on an invalid response.
    expect(errors[0]).toBeInstanceOf(Error);
    for (const error of errors.filter((e) => e instanceof Error)) {
      for (const text of renderings(error)) expect(text).not.toContain(SECRET);
    }
    expect(JSON.stringify(transport.requests)).not.toContain(SECRET);
    expect(JSON.stringify(transport.requests)).toContain('AKID-visible');
    expect(JSON.stringify(calls)).not.toContain(SECRET);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(SECRET);
  });
});
