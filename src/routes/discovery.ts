/**
 * Discovery for Kubernetes clients: `/api`, `/apis`, `/api/v1` (behind the pod guards like the
 * rest of `/api`: any authenticated caller may discover, as with the apiserver's
 * system:discovery role), `/openapi/v2` and `/openapi/v3[/api/v1]` (also authenticated, app.ts),
 * and `/version` (open, as the apiserver's system:public-info-viewer role leaves it).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { version as PODGATE_VERSION } from '../../package.json';
import { notFound } from '../k8s/status';
import type { AppEnv } from '../lib/create-app';
import {
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupResourceList,
  namedApiGroup,
  versionInfo,
} from './discovery-documents';
import {
  contentHash,
  coreV1Document,
  OPENAPI_V2_PROTOBUF_RESPONSE,
  openApiV3Index,
  wantsProtobufV2,
} from './discovery-openapi';
import type { FieldDocs } from './openapi-k8s/annotate';
import fieldDocsText from './openapi-k8s/field-docs.txt';
import { encodeGnosticV2 } from './openapi-k8s/gnostic-v2';
import { swaggerV2 } from './openapi-k8s/swagger-v2';
import { podRoutes } from './pods';

interface CoreV1Documents {
  v3: { json: string; hash: string };
  v2: { json: string; protobuf: Uint8Array<ArrayBuffer> };
}

/**
 * The `api/v1` documents (v3 JSON and its hash, v2 JSON and protobuf), built on the first
 * /openapi request and kept for the isolate (the routes never change): start-up pays nothing.
 */
let coreV1: Promise<CoreV1Documents> | undefined;
function coreV1Documents() {
  coreV1 ??= (async () => {
    const doc = coreV1Document(podRoutes, PODGATE_VERSION, JSON.parse(fieldDocsText) as FieldDocs);
    const json = JSON.stringify(doc);
    const v2 = swaggerV2(doc);
    return {
      v3: { json, hash: await contentHash(json) },
      v2: { json: JSON.stringify(v2), protobuf: new Uint8Array(encodeGnosticV2(v2)) },
    };
  })();
  return coreV1;
}

export const discoveryRoutes = new OpenAPIHono<AppEnv>()
  .get('/version', (c) => c.json(versionInfo(PODGATE_VERSION)))
  .get('/api', (c) => c.json(apiVersions(new URL(c.req.url).host)))
  .get('/apis', (c) => c.json(apiGroupList()))
  .get('/api/v1', (c) => c.json(apiResourceList()))
  .get('/apis/:group', (c) => {
    const group = namedApiGroup(c.req.param('group'));
    if (!group) throw notFound(c.req.param('group'), 'apigroups');
    return c.json(group);
  })
  .get('/apis/:group/v1', (c) => {
    const list = groupResourceList(c.req.param('group'));
    if (!list) throw notFound(`${c.req.param('group')}/v1`, 'apigroups');
    return c.json(list);
  })
  .get('/openapi/v3', async (c) => c.json(openApiV3Index((await coreV1Documents()).v3.hash)))
  .get('/openapi/v3/api/v1', async (c) => {
    const { json, hash } = (await coreV1Documents()).v3;
    // A request naming the current hash may be cached for good, as the apiserver allows.
    if (c.req.query('hash') === hash) c.header('Cache-Control', 'public, immutable');
    return c.body(json, 200, { 'Content-Type': 'application/json' });
  })
  // Protobuf when asked for (kubectl ≤ 1.26), JSON otherwise, as kube-openapi negotiates.
  .get('/openapi/v2', async (c) => {
    const { v2 } = await coreV1Documents();
    c.header('Vary', 'Accept');
    if (wantsProtobufV2(c.req.header('Accept'))) {
      return c.body(v2.protobuf, 200, { 'Content-Type': OPENAPI_V2_PROTOBUF_RESPONSE });
    }
    return c.body(v2.json, 200, { 'Content-Type': 'application/json' });
  });
