#!/usr/bin/env node
// The bundle-size guard in `npm test`: gzips the minified Worker that `wrangler deploy --dry-run
// --minify --outdir DIR` wrote and fails above the budget (issue 10: ≤ 150 KiB gzip).
// Usage: node scripts/bundle-size.mjs DIR BUDGET_KIB
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dir = '.wrangler/dry-run', budget = '150'] = process.argv.slice(2);
const code = readFileSync(join(dir, 'index.js'));
const kib = gzipSync(code).length / 1024;
const line = `Worker bundle: ${(code.length / 1024).toFixed(1)} KiB minified, ${kib.toFixed(1)} KiB gzip (budget ${budget} KiB)`;
if (kib > Number(budget)) {
  console.error(`${line}: over budget`);
  process.exit(1);
}
console.log(line);
