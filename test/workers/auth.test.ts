import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindingRateLimiter } from '../../src/lib/limits';
import { type CapturedResponse, captureResponse, findLeaks } from '../support/leak-scan';

const ORIGIN = 'http://localhost:5173'; // listed in config/local.env
const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://podgate.test${path}`, init));

let logLines: string[];
let responses: CapturedResponse[];
beforeEach(() => {
  logLines = [];
  responses = [];
  for (const level of ['log', 'warn', 'error', 'info'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logLines.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

async function seen(where: string, init?: RequestInit) {
  const res = await call(where, init);
  responses.push(await captureResponse(`${init?.method ?? 'GET'} ${where}`, res));
  return res;
}

describe('the Worker behind its guards', () => {
  it('refuses /api without a token or with a bad one (401), keeping health open', async () => {
    expect((await seen('/api/v1/namespaces/default/pods')).status).toBe(401);
    const bad = await seen('/api/v1/namespaces/default/pods', {
      headers: { Authorization: 'Bearer not-the-dev-token' },
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await seen('/healthz')).status).toBe(200);
    expect((await seen('/readyz')).status).toBe(200);
  });

  it('audits a refused mutation', async () => {
    const res = await seen('/api/v1/namespaces/default/pods/web', {
      method: 'DELETE',
      headers: { 'X-Request-Id': 'audit-me' },
    });
    expect(res.status).toBe(401);
    const audit = logLines.map((l) => JSON.parse(l)).find((l) => l.event === 'audit');
    // The caller's id is recorded apart; the line's requestId is the gateway's own (issue 17).
    expect(audit).toMatchObject({
      requestId: res.headers.get('X-Request-Id'),
      clientRequestId: 'audit-me',
      who: null,
      verb: 'delete',
      code: 401,
    });
    expect(audit.requestId).not.toBe('audit-me');
  });

  it('answers CORS preflights for listed origins only', async () => {
    const preflight = (origin: string) =>
      seen('/api/v1/namespaces/default/pods', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(ORIGIN);
    expect(allowed.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    const refused = await preflight('https://elsewhere.example');
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('leaks neither the JD keys nor the dev tokens in what it sent or logged', async () => {
    await seen('/api/v1/pods', {
      headers: { Authorization: 'Bearer podgate-dev-admin', Origin: ORIGIN },
    });
    await seen('/api/v1/pods', { headers: { Authorization: 'Bearer podgate-dev-viewer' } });
    await seen('/api/v1/namespaces/staging/pods/web', {
      method: 'PATCH',
      headers: {
        Authorization: 'Bearer podgate-dev-admin',
        'Content-Type': 'application/json-patch+json',
      },
      body: '[]',
    });
    await seen('/readyz');
    expect(responses).toHaveLength(4);
    expect(logLines.some((l) => l.includes('"event":"audit"'))).toBe(true);
    const leaks = findLeaks({
      secrets: {
        JDCLOUD_ACCESS_KEY_ID: env.JDCLOUD_ACCESS_KEY_ID,
        JDCLOUD_SECRET_ACCESS_KEY: env.JDCLOUD_SECRET_ACCESS_KEY,
        'podgate-dev-admin': 'podgate-dev-admin',
        'podgate-dev-viewer': 'podgate-dev-viewer',
      },
      responses,
      logLines,
    });
    expect(leaks).toEqual([]);
  });
});

describe('the Workers Rate Limiting binding', () => {
  it('is bound from wrangler.toml and refuses a caller past its limit', async () => {
    const limiter = bindingRateLimiter(env.PODGATE_RATE_LIMITER);
    const key = `test:${crypto.randomUUID()}`;
    const outcomes = [];
    for (let i = 0; i < 601; i++) outcomes.push(await limiter.take(key));
    expect(outcomes.slice(0, 600).every((o) => o.ok)).toBe(true);
    expect(outcomes[600]).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect((await limiter.take(`test:${crypto.randomUUID()}`)).ok).toBe(true);
  });
});
