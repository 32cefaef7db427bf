#!/usr/bin/env node
// The bundle-size guard in `npm test`: gzips the minified Worker that `wrangler deploy --dry-run
// --minify --outdir DIR` wrote and fails above the budget (issue 10: ≤ 150 KiB gzip).
// Usage: node scripts/bundle-size.mjs DIR BUDGET_KIB
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dir = '.wrangler/dry-run', budget = '150'] = process.argv.slice(2);
const code = readFileSync(join(dir, 'index.js'));
const kib = gzipSync(code).length / 1024;
const line = `Worker bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${kib.toFixed(1)} KiB gzip (budget ${budget} KiB)`;
// Text/Data modules (e.g. the Kubernetes field descriptions) ship beside the script and are read
// only when first used; their size is reported, the budget is the JavaScript's.
const modules = readdirSync(dir).filter((f) => !/^(index\.js(\.map)?|README\.md)$/.test(f));
const moduleKib =
  modules.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f))).length, 0) / 1024;
if (modules.length)
  console.log(`Other modules: ${modules.length}, ${moduleKib.toFixed(1)} KiB gzip`);
if (kib > Number(budget)) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(line);
