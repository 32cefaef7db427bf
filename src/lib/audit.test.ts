import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePodApp, JD_REQUEST_ID, localEnv } from '../auth/test-app';
import { auditLog, patchPaths } from './audit';

let lines: string[];
beforeEach(() => {
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void lines.push(String(line)));
});
afterEach(() => vi.restoreAllMocks());

const app = fakePodApp();
const send = (method: string, path: string, token?: string, init: RequestInit = {}) =>
  app.request(
    path,
    {
      method,
      ...init,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        'X-Request-Id': 'req-42',
        ...(init.headers as Record<string, string>),
      },
    },
    localEnv(),
  );
const audits = () => lines.map((l) => JSON.parse(l)).filter((l) => l.event === 'audit');

describe('auditMutations', () => {
  it('writes one line per mutation: who, verb, target, patch paths, code, JD request id', async () => {
    const body = JSON.stringify([
      { op: 'replace', path: '/spec/containers/0/image', value: 'registry.example/app:SECRET-TAG' },
      { op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/b' },
    ]);
    const res = await send('PATCH', '/api/v1/namespaces/staging/pods/web', 'podgate-dev-admin', {
      body,
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(res.status).toBe(200);
    expect(audits()).toEqual([
      {
        level: 'info',
        event: 'audit',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientRequestId: 'req-42',
        who: 'dev-admin',
        via: 'token',
        verb: 'patch',
        namespace: 'staging',
        name: 'web',
        patchPaths: ['/spec/containers/0/image', '/metadata/labels/a', '/metadata/labels/b'],
        code: 200,
        jdRequestId: JD_REQUEST_ID,
      },
    ]);
    expect(lines.join('\n')).not.toContain('SECRET-TAG');
    // The caller's id is its own label: the answer and the audit line carry the gateway's.
    expect(res.headers.get('X-Request-Id')).toBe(audits()[0].requestId);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('records refusals, with the principal when known', async () => {
    await send('DELETE', '/api/v1/namespaces/default/pods/web', 'podgate-dev-viewer');
    await send('POST', '/api/v1/namespaces/default/pods/web/stop', 'a-guessed-token');
    expect(audits()).toMatchObject([
      { who: 'dev-viewer', verb: 'delete', namespace: 'default', name: 'web', code: 403 },
      { who: null, via: null, verb: 'post', namespace: null, name: null, code: 401 },
    ]);
    const all = lines.join('\n');
    for (const secret of ['a-guessed-token', 'podgate-dev-viewer', 'Authorization', 'Bearer']) {
      expect(all).not.toContain(secret);
    }
  });

  it('does not audit reads', async () => {
    await send('GET', '/api/v1/namespaces/default/pods/web', 'podgate-dev-viewer');
    expect(audits()).toEqual([]);
  });
});

describe('auditLog', () => {
  it('stamps the line with the given clock', () => {
    auditLog(
      {
        requestId: 'r',
        clientRequestId: null,
        who: 'ci-bot',
        via: 'jwt',
        verb: 'stop',
        namespace: 'default',
        name: 'web',
        patchPaths: [],
        code: 202,
        jdRequestId: 'jd-1',
      },
      () => new Date('2026-11-20T12:00:00Z'),
    );
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      time: '2026-11-20T12:00:00.000Z',
      verb: 'stop',
    });
  });
});

describe('patchPaths', () => {
  it('lists the leaves of a merge patch, escaping pointer characters, never values', () => {
    const body = {
      metadata: { labels: { 'app.kubernetes.io/name': 'web', 'a~b': null }, annotations: {} },
      spec: { containers: [{ name: 'web', image: 'x' }] },
    };
    expect(patchPaths('application/merge-patch+json', body)).toEqual([
      '/metadata/labels/app.kubernetes.io~1name',
      '/metadata/labels/a~0b',
      '/metadata/annotations',
      '/spec/containers',
    ]);
  });

  it('ignores what is not a patch', () => {
    expect(patchPaths('application/json-patch+json', { op: 'add' })).toEqual([]);
    expect(patchPaths('application/json-patch+json', [null, { op: 'add', path: 7 }])).toEqual([]);
    expect(patchPaths('application/merge-patch+json', 'text')).toEqual([]);
  });
});
