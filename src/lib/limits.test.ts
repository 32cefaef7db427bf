import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePodApp, localEnv } from '../auth/test-app';
import {
  checkPatchOperationCount,
  MAX_JSON_DEPTH,
  memoryRateLimiter,
  nestedDeeperThan,
} from './limits';

const ADMIN = { Authorization: 'Bearer podgate-dev-admin' };
const patch = (body: BodyInit, headers: Record<string, string> = {}, env = localEnv()) =>
  fakePodApp().request(
    '/api/v1/namespaces/default/pods/web',
    {
      method: 'PATCH',
      headers: { ...ADMIN, 'Content-Type': 'application/json-patch+json', ...headers },
      body,
    },
    env,
  );
const ops = (n: number) =>
  JSON.stringify(Array.from({ length: n }, () => ({ op: 'test', path: '/kind', value: 'Pod' })));

beforeEach(() => void vi.spyOn(console, 'log').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe('limitBody', () => {
  const env = localEnv({ PODGATE_MAX_BODY_BYTES: '64' });

  it('refuses a declared oversize body with the apiserver 413', async () => {
    const res = await patch('x'.repeat(65), {}, env);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Request entity too large: limit is 64',
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
  });

  it('cuts off a streamed body without Content-Length at the limit', async () => {
    const chunks = ['[', ' '.repeat(40), ' '.repeat(40), ']'];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const res = await fakePodApp().request(
      '/api/v1/namespaces/default/pods/web',
      {
        method: 'PATCH',
        headers: { ...ADMIN, 'Content-Type': 'application/json-patch+json' },
        body: stream,
        duplex: 'half',
      } as RequestInit,
      env,
    );
    expect(res.status).toBe(413);
  });

  it('lets a body at the limit through', async () => {
    const body = ops(1);
    expect(body.length).toBeLessThanOrEqual(64);
    expect((await patch(body, {}, env)).status).toBe(200);
  });
});

describe('JSON nesting', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('refuses a body nested deeper than the limit with 400, before anything parses it', async () => {
    const res = await patch(nested(50_000));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: `the request body is nested more than ${MAX_JSON_DEPTH} levels deep; no Pod or patch needs that`,
    });
  });

  it('counts brackets outside strings only', () => {
    expect(nestedDeeperThan(nested(3), 3)).toBe(false);
    expect(nestedDeeperThan(nested(4), 3)).toBe(true);
    const inStrings = JSON.stringify(['['.repeat(10), { 'a"[[': '\\[[[' }]);
    expect(nestedDeeperThan(inStrings, 2)).toBe(false);
    expect(nestedDeeperThan(inStrings, 1)).toBe(true);
  });
});

describe('checkPatchOperationCount', () => {
  it('refuses more operations than configured with 413', async () => {
    const env = localEnv({ PODGATE_MAX_PATCH_OPS: '3' });
    expect((await patch(ops(3), {}, env)).status).toBe(200);
    const res = await patch(ops(4), {}, env);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toBe(
      'Request entity too large: The allowed maximum operations in a JSON patch is 3, got 4',
    );
  });

  it('never allows more than the apiserver maximum', () => {
    expect(() => checkPatchOperationCount(new Array(10_000), 50_000)).not.toThrow();
    expect(() => checkPatchOperationCount(new Array(10_001), 50_000)).toThrow(
      /maximum operations in a JSON patch is 10000, got 10001/,
    );
  });
});

describe('rateLimit', () => {
  it('answers 429 with Retry-After once a caller has used its minute, per caller', async () => {
    let clock = Date.parse('2026-11-20T12:00:45Z');
    const app = fakePodApp({ rateLimiter: memoryRateLimiter(2, () => clock) });
    const get = (token: string) =>
      app.request('/api/v1/pods', { headers: { Authorization: `Bearer ${token}` } }, localEnv());
    expect((await get('podgate-dev-admin')).status).toBe(200);
    expect((await get('podgate-dev-admin')).status).toBe(200);
    const limited = await get('podgate-dev-admin');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('15');
    expect(await limited.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 15 },
      code: 429,
    });
    // Another caller has its own budget; the next minute starts afresh.
    const viewer = await app.request(
      '/api/v1/namespaces/default/pods',
      { headers: { Authorization: 'Bearer podgate-dev-viewer' } },
      localEnv(),
    );
    expect(viewer.status).toBe(200);
    clock = Date.parse('2026-11-20T12:01:00Z');
    expect((await get('podgate-dev-admin')).status).toBe(200);
  });

  it('falls back to the configured per-minute limit without a binding', async () => {
    const env = localEnv({ PODGATE_RATE_LIMIT_PER_MINUTE: '1' });
    const app = fakePodApp();
    const get = () => app.request('/api/v1/pods', { headers: ADMIN }, env);
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
  });
});
