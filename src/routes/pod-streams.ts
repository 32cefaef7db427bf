/**
 * pods/exec and pods/attach (WebSocket, bridged to JD Cloud in exec-bridge.ts), and a Status
 * for each pod subresource JD Cloud cannot serve (port-forward, ephemeral containers, eviction,
 * proxy): never a bare 404, which makes `kubectl debug` panic.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { requireGrant } from '../auth/authenticate';
import { configFor } from '../config';
import {
  chooseProtocol,
  parseStreamOptions,
  REMOTE_COMMAND_PROTOCOLS,
} from '../k8s/remote-command';
import { badRequest, failure, StatusError } from '../k8s/status';
import type { AppEnv } from '../lib/create-app';
import { jdClientFor } from '../store/jd';
import { unwrap } from '../store/result';
import { storeOf } from '../store/stub';
import { openBridge } from './exec-bridge';
import { namespaceSettings } from './pods.handlers';

type Ctx = Context<AppEnv>;
const POD = '/api/v1/namespaces/:namespace/pods/:name';

/**
 * SPDY/3.1 (kubectl < 1.30, and kubectl's fallback when its WebSocket attempt fails) needs a
 * raw connection upgrade that Cloudflare Workers do not offer: only WebSocket.
 */
const spdyRefused = (kind: string) =>
  badRequest(
    `pods/${kind} over SPDY is not supported by podgate: Cloudflare Workers accept WebSocket upgrades only. ` +
      `Use a client that speaks ${REMOTE_COMMAND_PROTOCOLS.join(' or ')} (kubectl 1.30 or newer); ` +
      'if kubectl fell back to SPDY, its WebSocket attempt failed: run it with -v=4 to see why',
  );

async function handleStream(c: Ctx, kind: 'exec' | 'attach'): Promise<Response> {
  const { namespace, name } = c.req.param() as { namespace: string; name: string };
  requireGrant(c, kind, namespace, name);
  namespaceSettings(c, namespace);
  const options = parseStreamOptions(new URL(c.req.url).searchParams, kind);
  const target = unwrap(
    await storeOf(c.env, namespace).streamTarget(namespace, name, options.container),
  );
  if (!target.jdPodId) {
    throw badRequest(`pod ${name} has no container yet: JD Cloud is still creating it`);
  }
  const upgrade = c.req.header('Upgrade')?.toLowerCase();
  if (upgrade !== 'websocket') {
    if (c.req.method === 'POST' || upgrade?.startsWith('spdy')) throw spdyRefused(kind);
    throw badRequest(`pods/${kind} needs a WebSocket upgrade (Upgrade: websocket)`);
  }
  const protocol = chooseProtocol(c.req.header('Sec-WebSocket-Protocol'));
  if (!protocol) {
    throw badRequest(
      `pods/${kind} needs one of the WebSocket subprotocols ${REMOTE_COMMAND_PROTOCOLS.join(', ')}`,
    );
  }
  // Tagged so a JD call budget can tell session calls (resizeTTY, exit codes) from requests.
  const jd = jdClientFor(configFor(c.env), { tag: 'exec' }).raw;
  return openBridge(
    jd,
    { regionId: target.regionId, podId: target.jdPodId, container: target.container, name },
    { kind, protocol, options, waitUntil: (p) => c.executionCtx.waitUntil(p) },
  );
}

/** A subresource JD Cloud pods do not have: 405 naming it, with details kubectl can read. */
const unsupported = (subresource: string, what: string) => (c: Ctx) => {
  const { name } = c.req.param() as { name: string };
  throw new StatusError(
    failure(
      405,
      'MethodNotAllowed',
      `pods "${name}": pods/${subresource} is not supported: JD Cloud pods do not support ${what}`,
      { name, kind: `pods/${subresource}` },
    ),
  );
};

export const podStreamRoutes = new Hono<AppEnv>()
  .on(['GET', 'POST'], `${POD}/exec`, (c) => handleStream(c, 'exec'))
  .on(['GET', 'POST'], `${POD}/attach`, (c) => handleStream(c, 'attach'))
  .all(`${POD}/portforward`, unsupported('portforward', 'port forwarding'))
  .all(
    `${POD}/ephemeralcontainers`,
    unsupported('ephemeralcontainers', 'ephemeral containers (kubectl debug)'),
  )
  .all(`${POD}/eviction`, unsupported('eviction', 'eviction (delete the pod instead)'))
  .all(`${POD}/binding`, unsupported('binding', 'binding to a node (JD Cloud places pods itself)'))
  .all(`${POD}/proxy`, unsupported('proxy', 'proxying HTTP to a pod'))
  .all(`${POD}/proxy/*`, unsupported('proxy', 'proxying HTTP to a pod'));
