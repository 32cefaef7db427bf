#!/usr/bin/env node
// `npm run openapi`: writes openapi/openapi.json and openapi/openapi.yaml from the route
// definitions, exactly as the Worker serves them. Commit the result: `npm test` fails while the
// committed files differ from what the code produces (src/routes/openapi-document.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// Node cannot import the TypeScript sources directly (extensionless imports), so bundle the
// app the way wrangler does, then import the bundle.
const out = mkdtempSync(join(tmpdir(), 'podgate-openapi-'));
try {
  const file = join(out, 'openapi.mjs');
  await build({
    stdin: {
      contents: [
        "import { buildApp } from './src/app';",
        "import { buildOpenApiTexts } from './src/routes/openapi-document';",
        'export const texts = buildOpenApiTexts(buildApp());',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: file,
    logLevel: 'warning',
    // wrangler's Text modules (src/routes/openapi-k8s/field-docs.txt).
    loader: { '.txt': 'text' },
  });
  const { texts } = await import(pathToFileURL(file).href);
  mkdirSync(join(root, 'openapi'), { recursive: true });
  writeFileSync(join(root, 'openapi/openapi.json'), texts.json);
  writeFileSync(join(root, 'openapi/openapi.yaml'), texts.yaml);
  const paths = Object.keys(texts.document.paths ?? {}).length;
  console.log(`openapi/openapi.json and openapi/openapi.yaml written (${paths} paths)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
