/**
 * `GET /docs`: Swagger UI over the published document. Its script and stylesheet are static
 * assets (swagger-ui-dist, see wrangler.toml) that this route serves from `/docs/assets/`, so the
 * page works offline, loads nothing from a CDN, and costs the Worker bundle nothing.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/create-app';
import { docsSecurityHeaders } from '../lib/security-headers';

/** The Swagger UI files the page needs; nothing else of the package is reachable. */
const ASSETS = new Set(['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']);

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  summary: 'The API reference (Swagger UI)',
  tags: ['documentation'],
  security: [],
  middleware: [docsSecurityHeaders()] as const,
  responses: {
    200: {
      description: 'Swagger UI rendering every operation of /openapi.json.',
      content: { 'text/html': { schema: z.string() } },
    },
  },
});

const assetRoute = createRoute({
  method: 'get',
  path: '/docs/assets/{file}',
  hide: true,
  request: { params: z.object({ file: z.string() }) },
  responses: { 200: { description: 'A Swagger UI file.' }, 404: { description: 'No such file.' } },
});

/** The page: the nonce lets its one inline script start Swagger UI under the docs CSP. */
export function docsPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>podgate Pod API</title>
<link rel="icon" href="/docs/assets/favicon-32x32.png"><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script nonce="${nonce}">SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, displayOperationId: true });</script>
</body></html>
`;
}

export const docsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(docsRoute, (c) => c.html(docsPage(c.get('secureHeadersNonce') ?? ''), 200))
  .openapi(assetRoute, async (c) => {
    const { file } = c.req.valid('param');
    if (!ASSETS.has(file)) return c.body(null, 404);
    const res = await c.env.DOCS_ASSETS.fetch(new URL(`/${file}`, c.req.url));
    return new Response(res.body, {
      status: res.status,
      headers: {
        'Content-Type': res.headers.get('Content-Type') ?? 'application/octet-stream',
        'Cache-Control': 'public, max-age=86400',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
