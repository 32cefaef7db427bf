/** Liveness and readiness. Readiness fails (503 Status) while the configuration is unusable. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { configFor } from '../config';
import { serviceUnavailable } from '../k8s/status';
import type { AppEnv } from '../lib/create-app';
import { credentialsRefused } from './credential-probe';

const ok = z.object({ status: z.literal('ok') }).openapi('Health');

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['health'],
  security: [],
  summary: 'Liveness: the Worker answers',
  responses: { 200: { description: 'alive', content: { 'application/json': { schema: ok } } } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['health'],
  security: [],
  summary: "Readiness: the configuration is valid and JD Cloud accepts podgate's credentials",
  responses: {
    200: { description: 'ready', content: { 'application/json': { schema: ok } } },
    503: { description: 'not ready: the message names what is missing' },
  },
});

export const healthRoutes = new OpenAPIHono<AppEnv>()
  .openapi(healthz, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(readyz, async (c) => {
    const config = configFor(c.env);
    const missing = [
      ...(config.jdcloud.credentials
        ? []
        : ['JDCLOUD_ACCESS_KEY_ID and JDCLOUD_SECRET_ACCESS_KEY']),
      ...(config.namespaces.size > 0 ? [] : ['PODGATE_NAMESPACES']),
    ];
    if (missing.length > 0) throw serviceUnavailable(`not ready: set ${missing.join(', ')}`);
    const refused = await credentialsRefused(config);
    if (refused) throw serviceUnavailable(`not ready: ${refused}`);
    return c.json({ status: 'ok' as const }, 200);
  });
