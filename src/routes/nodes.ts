/**
 * `GET /api/v1/nodes` and `GET /api/v1/nodes/{name}`: the read-only virtual nodes, one per
 * availability zone of the configured namespaces (translate/virtual-node.ts). Nodes are
 * cluster-scoped, so reading them takes a cluster-wide grant, as listing all pods does.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import { notFound } from '../k8s/status';
import type { AppEnv } from '../lib/create-app';
import { virtualNodes } from '../translate/virtual-node';

/** Virtual nodes exist as long as the configuration does: one fixed creation time. */
const CREATED = '2024-01-01T00:00:00Z';

const nodesOf = (c: Context<AppEnv>) => virtualNodes(configFor(c.env).namespaces.values(), CREATED);

export const nodeRoutes = new OpenAPIHono<AppEnv>()
  .get('/api/v1/nodes', (c) => {
    requireGrant(c, 'list', undefined);
    return c.json({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: nodesOf(c) });
  })
  .get('/api/v1/nodes/:name', (c) => {
    requireGrant(c, 'get', undefined);
    const node = nodesOf(c).find((n) => n.metadata.name === c.req.param('name'));
    if (!node) throw notFound(c.req.param('name'), 'nodes');
    return c.json(node);
  });
