/**
 * Discovery for Kubernetes clients: `/api`, `/apis`, `/api/v1` (behind the pod guards like the
 * rest of `/api`: any authenticated caller may discover, as with the apiserver's
 * system:discovery role), `/openapi/v2` and `/openapi/v3[/api/v1]` (also authenticated, app.ts),
 * and `/version` (open, as the apiserver's system:public-info-viewer role leaves it).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { version as PODGATE_VERSION } from '../../package.json';
import type { AppEnv } from '../lib/create-app';
import { apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery-documents';
import {
  contentHash,
  coreV1Document,
  minimalOpenApiV2,
  OPENAPI_V2_PROTOBUF,
  openApiV3Index,
} from './discovery-openapi';
import { podRoutes } from './pods';

/** The `api/v1` document and its hash, built once per isolate (the routes never change). */
let coreV1: Promise<{ json: string; hash: string }> | undefined;
function coreV1Json() {
  coreV1 ??= (async () => {
    const json = JSON.stringify(coreV1Document(podRoutes, PODGATE_VERSION));
    return { json, hash: await contentHash(json) };
  })();
  return coreV1;
}

export const discoveryRoutes = new OpenAPIHono<AppEnv>()
  .get('/version', (c) => c.json(versionInfo(PODGATE_VERSION)))
  .get('/api', (c) => c.json(apiVersions(new URL(c.req.url).host)))
  .get('/apis', (c) => c.json(apiGroupList()))
  .get('/api/v1', (c) => c.json(apiResourceList()))
  .get('/openapi/v3', async (c) => c.json(openApiV3Index((await coreV1Json()).hash)))
  .get('/openapi/v3/api/v1', async (c) => {
    const { json, hash } = await coreV1Json();
    // A request naming the current hash may be cached for good, as the apiserver allows.
    if (c.req.query('hash') === hash) c.header('Cache-Control', 'public, immutable');
    return c.body(json, 200, { 'Content-Type': 'application/json' });
  })
  .get('/openapi/v2', (c) =>
    c.body(minimalOpenApiV2(PODGATE_VERSION), 200, { 'Content-Type': OPENAPI_V2_PROTOBUF }),
  );
