/**
 * A small pod-shaped app for the security tests: the real app shell and guards in front of
 * stand-in handlers that do what the pod routes will do (grant check, patch-size check, audit
 * notes) and answer with fixed bodies. Test-only; nothing in the Worker imports it.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import type { Context } from 'hono';
import { configFor } from '../config';
import { noteAudit, patchPaths } from '../lib/audit';
import { type AppEnv, createApp } from '../lib/create-app';
import { checkPatchOperationCount } from '../lib/limits';
import { requireGrant } from './authenticate';
import type { PodAction } from './authorize';
import { type PodGuardOptions, podGuards } from './pod-guards';

/** The `npm start` environment as the tests see it. */
export const localEnv = (overrides: Record<string, string> = {}) =>
  ({
    ...parseEnv(readFileSync('config/local.env', 'utf8')),
    PODGATE_ENV: 'test',
    ...overrides,
  }) as unknown as Env;

export const JD_REQUEST_ID = 'jd-req-0001';

const pod = (c: Context<AppEnv>, action: PodAction) => {
  const namespace = c.req.param('ns');
  const name = c.req.param('name');
  requireGrant(c, action, namespace, name);
  return c.json({ kind: 'Pod', apiVersion: 'v1', metadata: { namespace, name } });
};

export function fakePodApp(options: PodGuardOptions = {}) {
  const app = createApp();
  app.use('/api/*', ...podGuards(options));
  app.get('/api/v1/pods', (c) => {
    requireGrant(c, 'list', undefined);
    return c.json({ kind: 'PodList', apiVersion: 'v1', items: [] });
  });
  app.get('/api/v1/namespaces/:ns/pods', (c) => {
    requireGrant(c, 'list', c.req.param('ns'));
    return c.json({ kind: 'PodList', apiVersion: 'v1', items: [] });
  });
  app.get('/api/v1/namespaces/:ns/pods/:name', (c) => pod(c, 'get'));
  app.get('/api/v1/namespaces/:ns/pods/:name/log', (c) => pod(c, 'log'));
  app.delete('/api/v1/namespaces/:ns/pods/:name', (c) => pod(c, 'delete'));
  app.post('/api/v1/namespaces/:ns/pods/:name/stop', (c) => pod(c, 'stop'));
  app.patch('/api/v1/namespaces/:ns/pods/:name', async (c) => {
    requireGrant(c, 'patch', c.req.param('ns'), c.req.param('name'));
    const contentType = c.req.header('Content-Type') ?? '';
    const body: unknown = await c.req.json();
    if (Array.isArray(body)) checkPatchOperationCount(body, configFor(c.env).limits.maxPatchOps);
    noteAudit(c, { patchPaths: patchPaths(contentType, body), jdRequestId: JD_REQUEST_ID });
    return pod(c, 'patch');
  });
  return app;
}
