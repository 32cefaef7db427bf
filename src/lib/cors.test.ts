import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePodApp, localEnv } from '../auth/test-app';
import { healthRoutes } from '../routes/health';
import { corsGrant } from './cors';
import { createApp } from './create-app';

// config/local.env allows http://localhost:5173 and http://127.0.0.1:5173.
const ALLOWED = 'http://localhost:5173';
const app = fakePodApp();
const preflight = (origin: string, env = localEnv()) =>
  app.request(
    '/api/v1/namespaces/default/pods/web',
    {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    },
    env,
  );

beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

describe('cors', () => {
  it('answers a preflight from a listed origin without asking for credentials', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(res.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(res.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization, Content-Type/);
    expect(res.headers.get('Vary')).toBe('Origin');
  });

  it('gives a refused origin no CORS headers, on preflight and on requests', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(204);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const get = await app.request(
      '/api/v1/pods',
      { headers: { Origin: 'https://evil.example', Authorization: 'Bearer podgate-dev-admin' } },
      localEnv(),
    );
    expect(get.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(get.headers.get('Vary')).toBe('Origin');
  });

  it('adds CORS headers to errors too, exposing the headers clients need', async () => {
    const res = await app.request('/api/v1/pods', { headers: { Origin: ALLOWED } }, localEnv());
    expect(res.status).toBe(401);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe(
      'X-Request-Id, Warning, Retry-After',
    );
  });

  it('never pairs * with credentials', async () => {
    const env = localEnv({ PODGATE_CORS_ORIGINS: `${ALLOWED},*` });
    const other = await preflight('https://anyone.example', env);
    expect(other.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(other.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    const listed = await preflight(ALLOWED, env);
    expect(listed.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED);
    expect(listed.headers.get('Access-Control-Allow-Credentials')).toBe('true');
  });

  it('allows no origin while the configuration is broken, and health still answers', async () => {
    const env = localEnv({ PODGATE_MAX_BODY_BYTES: 'huge' });
    expect((await preflight(ALLOWED, env)).headers.get('Access-Control-Allow-Origin')).toBeNull();
    const shell = createApp().route('/', healthRoutes);
    const health = await shell.request('/healthz', { headers: { Origin: ALLOWED } }, env);
    expect(health.status).toBe(200);
    expect(health.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('corsGrant', () => {
  const settings = { origins: new Set(['https://a.example']), anyOrigin: false };
  it('matches origins exactly', () => {
    expect(corsGrant(settings, 'https://a.example')).toEqual({
      allowOrigin: 'https://a.example',
      credentials: true,
    });
    for (const near of [
      'https://a.example:443x',
      'http://a.example',
      'https://a.example.evil',
      'null',
    ]) {
      expect(corsGrant(settings, near)).toBeUndefined();
    }
  });
});
