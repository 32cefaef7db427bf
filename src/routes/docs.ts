/** `GET /docs`: the HTML API reference, rendered from the OpenAPI document once per isolate. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/create-app';
import { docsSecurityHeaders } from '../lib/security-headers';
import { type DocsInput, renderDocsPage } from './docs-html';
import type { OpenApiTexts } from './openapi-document';

const NONCE_SLOT = '\u0000nonce\u0000';

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  summary: 'The API reference as an HTML page',
  tags: ['documentation'],
  security: [],
  middleware: [docsSecurityHeaders()] as const,
  responses: {
    200: {
      description: 'Every operation and schema of this document, readable without JavaScript.',
      content: { 'text/html': { schema: z.string() } },
    },
  },
});

/** The docs route; the page is rendered on first request and only its CSP nonce changes. */
export function docsRoutes(texts: () => OpenApiTexts) {
  let page: string | undefined;
  return new OpenAPIHono<AppEnv>().openapi(docsRoute, (c) => {
    page ??= renderDocsPage(texts().document as unknown as DocsInput, NONCE_SLOT);
    return c.html(page.replace(NONCE_SLOT, c.get('secureHeadersNonce') ?? ''), 200);
  });
}
