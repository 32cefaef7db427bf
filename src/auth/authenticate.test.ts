import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerToken, NO_AUTH_CONFIGURED } from './authenticate';
import { fakePodApp, localEnv } from './test-app';

const ADMIN = 'podgate-dev-admin';
const VIEWER = 'podgate-dev-viewer';
const SECRET = 'an-hs256-secret-of-at-least-32-characters!';
const NOW = new Date('2026-11-20T12:00:00Z');

const jwtEnv = (over: Record<string, string> = {}) =>
  localEnv({
    PODGATE_JWT_HS256_SECRET: SECRET,
    PODGATE_JWT_ISSUER: 'https://issuer.example.com/',
    PODGATE_JWT_AUDIENCE: 'podgate',
    ...over,
  });

const hs256 = (claims: Record<string, unknown>) =>
  new SignJWT({
    iss: 'https://issuer.example.com/',
    aud: 'podgate',
    sub: 'alice',
    exp: Math.floor(NOW.getTime() / 1000) + 300,
    'podgate/role': 'edit',
    'podgate/namespaces': ['staging'],
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));

async function call(
  path: string,
  init: RequestInit & { token?: string } = {},
  env = localEnv(),
  app = fakePodApp({ now: () => NOW }),
) {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await app.request(path, { ...rest, headers }, env);
  return { res, body: (await res.json()) as Record<string, unknown> };
}

// Refusals and audit lines are logged; the log tests below spy on them explicitly.
beforeEach(() => {
  for (const level of ['log', 'warn', 'error'] as const) {
    vi.spyOn(console, level).mockImplementation(() => {});
  }
});
afterEach(() => vi.restoreAllMocks());

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

describe('authenticate', () => {
  it('answers 401 Unauthorized without a token', async () => {
    const { res, body } = await call('/api/v1/namespaces/default/pods');
    expect(res.status).toBe(401);
    expect(body).toEqual(UNAUTHORIZED);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="podgate"');
  });

  it('answers 401 for an unknown token, a malformed header and another scheme', async () => {
    for (const headers of [
      { Authorization: 'Bearer not-a-podgate-token' },
      { Authorization: `Bearer ${ADMIN} extra` },
      { Authorization: `Basic ${btoa(`admin:${ADMIN}`)}` },
      { Authorization: ADMIN },
    ]) {
      const { res, body } = await call('/api/v1/namespaces/default/pods', { headers });
      expect(res.status).toBe(401);
      expect(body).toEqual(UNAUTHORIZED);
    }
  });

  it('logs why a caller was refused, never the token', async () => {
    const warn = vi.mocked(console.warn);
    await call('/api/v1/pods', { token: 'wrong-token-123' });
    const lines = warn.mock.calls.map((args) => String(args[0]));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      event: 'authn.refused',
      reason: 'unknown token',
    });
    expect(lines.join('\n')).not.toContain('wrong-token-123');
  });

  it('lets the local dev tokens in', async () => {
    expect((await call('/api/v1/pods', { token: ADMIN })).res.status).toBe(200);
    expect((await call('/api/v1/namespaces/default/pods', { token: VIEWER })).res.status).toBe(200);
  });

  it('answers 503 naming the keys to set when no caller can be authenticated', async () => {
    const env = localEnv({ PODGATE_ENV: 'production', PODGATE_TOKENS: '' });
    const { res, body } = await call('/api/v1/pods', { token: ADMIN }, env);
    expect(res.status).toBe(503);
    expect(body).toMatchObject({ reason: 'ServiceUnavailable', message: NO_AUTH_CONFIGURED });
    expect(NO_AUTH_CONFIGURED).toMatch(/PODGATE_TOKENS.*PODGATE_JWT_ISSUER.*PODGATE_JWT_AUDIENCE/);
  });

  it('answers 503 with the configuration problem, never serving pods with a bad config', async () => {
    const env = localEnv({ PODGATE_TOKENS: '[{"name":"x"}' });
    const { res, body } = await call('/api/v1/pods', { token: ADMIN }, env);
    expect(res.status).toBe(503);
    expect(body.message).toMatch(/PODGATE_TOKENS: must be valid JSON/);
  });

  it('accepts a valid JWT and refuses an expired one or one for another audience', async () => {
    const path = '/api/v1/namespaces/staging/pods/web';
    expect((await call(path, { token: await hs256({}) }, jwtEnv())).res.status).toBe(200);
    const expired = await hs256({ exp: Math.floor(NOW.getTime() / 1000) - 3600 });
    expect((await call(path, { token: expired }, jwtEnv())).body).toEqual(UNAUTHORIZED);
    const elsewhere = await hs256({ aud: 'another-api' });
    expect((await call(path, { token: elsewhere }, jwtEnv())).body).toEqual(UNAUTHORIZED);
    const wrongIssuer = await hs256({ iss: 'https://evil.example/' });
    expect((await call(path, { token: wrongIssuer }, jwtEnv())).body).toEqual(UNAUTHORIZED);
  });

  it('serves pods in production once only JWTs are configured', async () => {
    const env = jwtEnv({ PODGATE_ENV: 'production', PODGATE_TOKENS: '' });
    const { res } = await call('/api/v1/namespaces/staging/pods', { token: await hs256({}) }, env);
    expect(res.status).toBe(200);
  });
});

describe('requireGrant', () => {
  it('refuses a view token patching, in the apiserver words', async () => {
    const { res, body } = await call('/api/v1/namespaces/default/pods/web', {
      method: 'PATCH',
      token: VIEWER,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{"metadata":{"labels":{"a":"b"}}}',
    });
    expect(res.status).toBe(403);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods "web" is forbidden: User "dev-viewer" cannot patch resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'web', kind: 'pods' },
      code: 403,
    });
  });

  it('refuses a grant for namespace A used on B, the same whether B exists or not', async () => {
    const refusals = await Promise.all(
      ['staging', 'no-such-namespace'].map((ns) =>
        call(`/api/v1/namespaces/${ns}/pods`, { token: VIEWER }),
      ),
    );
    for (const [i, ns] of ['staging', 'no-such-namespace'].entries()) {
      expect(refusals[i]?.res.status).toBe(403);
      expect(refusals[i]?.body.message).toBe(
        `pods is forbidden: User "dev-viewer" cannot list resource "pods" in API group "" in the namespace "${ns}"`,
      );
    }
    const jwt = await hs256({});
    const { body } = await call('/api/v1/namespaces/default/pods/web', { token: jwt }, jwtEnv());
    expect(body.message).toBe(
      'pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('refuses a namespaced viewer the all-namespaces list', async () => {
    const { res, body } = await call('/api/v1/pods', { token: VIEWER });
    expect(res.status).toBe(403);
    expect(body.message).toBe(
      'pods is forbidden: User "dev-viewer" cannot list resource "pods" in API group "" at the cluster scope',
    );
  });

  it('lets admin act anywhere, and view read logs', async () => {
    for (const ns of ['default', 'staging', 'elsewhere']) {
      const stop = await call(`/api/v1/namespaces/${ns}/pods/web/stop`, {
        method: 'POST',
        token: ADMIN,
      });
      expect(stop.res.status).toBe(200);
    }
    const log = await call('/api/v1/namespaces/default/pods/web/log', { token: VIEWER });
    expect(log.res.status).toBe(200);
  });
});

describe('bearerToken', () => {
  it('reads RFC 6750 bearer tokens only', () => {
    expect(bearerToken('Bearer abc.DEF-_~+/==')).toBe('abc.DEF-_~+/==');
    expect(bearerToken('bearer  abc')).toBe('abc');
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
