/**
 * The published OpenAPI 3.1 document, generated from the app's own route definitions
 * (`createRoute`), so it cannot drift from what the router validates. The same text is served at
 * `/openapi.json` and `/openapi.yaml` and committed as `openapi/openapi.{json,yaml}` (`npm run
 * openapi`; a unit test fails when the committed files differ).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { license, version } from '../../package.json';
import type { AppEnv } from '../lib/create-app';
import { toYaml } from './openapi-yaml';

/** The document and its texts, byte for byte what is served and what is committed. */
export interface OpenApiTexts {
  document: OpenApiDocument;
  json: string;
  yaml: string;
}

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const info = {
  title: 'podgate Pod API',
  version,
  summary: 'Kubernetes core/v1 Pods backed by JD Cloud native container (pod) instances.',
  description: [
    'podgate speaks the Kubernetes `core/v1` Pod API; each pod is a JD Cloud "pod" instance.',
    "Errors are Kubernetes `Status` objects with the apiserver's reasons and messages, so",
    '`kubectl` and client-go print them as usual.',
    '',
    'Authenticate with `Authorization: Bearer <token>` (a static token or a JWT); a token is',
    'granted a role (`view`, `edit`, `admin`) on some namespaces.',
  ].join('\n'),
  // package.json's SPDX expression (Apache-2.0, LICENSE), as OpenAPI 3.1's `identifier`: a
  // licence object carries an identifier or a url, never both.
  license: { name: license, identifier: license },
};

/** Tag order is the order of sections in generated docs. */
const tags = [
  {
    name: 'pods',
    description:
      "Pods of a namespace: create, read, list, update (image changes roll out on JD Cloud), delete, logs, and podgate's stop/start.",
  },
  { name: 'health', description: 'Liveness and readiness for load balancers; no credentials.' },
  {
    name: 'documentation',
    description: 'This OpenAPI document and its HTML reference; no credentials.',
  },
];

const servers = [{ url: 'http://127.0.0.1:8787', description: 'Local (`npm start`)' }];

/** Registers what routes refer to but do not define: the bearer security scheme. */
export function registerApiComponents(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A podgate token (`PODGATE_TOKENS`) or a JWT from the configured issuer. For local development tokens see config/local.env.',
  });
}

/** Builds the document's texts from every route registered on `app`. */
export function buildOpenApiTexts(app: OpenAPIHono<AppEnv>): OpenApiTexts {
  const document = app.getOpenAPI31Document({ openapi: '3.1.0', info, servers, tags });
  return { document, json: `${JSON.stringify(document, null, 2)}\n`, yaml: toYaml(document) };
}

/**
 * The texts for `app`, built on first use and kept for the isolate's life: not per request, and
 * not at start-up (building walks every schema, which a cold start should not pay for).
 */
export function openApiTextsOf(app: OpenAPIHono<AppEnv>): () => OpenApiTexts {
  let texts: OpenApiTexts | undefined;
  return () => {
    texts ??= buildOpenApiTexts(app);
    return texts;
  };
}
