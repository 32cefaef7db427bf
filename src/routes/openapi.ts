/** `GET /openapi.json` and `GET /openapi.yaml`: the published document, open to everyone. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/create-app';
import type { OpenApiTexts } from './openapi-document';

const documentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .openapi({ description: 'An OpenAPI 3.1 document.' });

const documentRoute = (format: 'json' | 'yaml') =>
  createRoute({
    method: 'get',
    path: `/openapi.${format}`,
    operationId: format === 'json' ? 'getOpenApiJson' : 'getOpenApiYaml',
    summary: `This OpenAPI 3.1 document as ${format.toUpperCase()}`,
    tags: ['documentation'],
    security: [],
    responses: {
      200: {
        description: `The document (the same text as openapi/openapi.${format} in the repository).`,
        content: {
          [format === 'json' ? 'application/json' : 'application/yaml']: {
            schema: documentSchema,
          },
        },
      },
    },
  });

/** The document routes, serving the texts `texts()` builds (once per isolate). */
export function openApiRoutes(texts: () => OpenApiTexts) {
  return new OpenAPIHono<AppEnv>()
    .openapi(documentRoute('json'), (c) =>
      c.body(texts().json, 200, { 'Content-Type': 'application/json; charset=utf-8' }),
    )
    .openapi(documentRoute('yaml'), (c) =>
      c.body(texts().yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }),
    );
}
