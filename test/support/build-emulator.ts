/**
 * Bundles the JD Cloud emulator Worker (`wrangler deploy --dry-run`) for the gateway's Workers
 * tests, which run it as an auxiliary worker receiving every outbound fetch of the gateway.
 * Returns the path of the bundled entry module.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function buildEmulator(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const outDir = `${root}.wrangler/test-emulator`;
  // wrangler needs Node 22: use the project's pinned binary, whatever runs vitest.
  const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
  execFileSync(
    node,
    [
      'node_modules/wrangler/bin/wrangler.js',
      'deploy',
      '--dry-run',
      '--config',
      'src/emulator/wrangler.toml',
      '--outdir',
      outDir,
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  return `${outDir}/index.js`;
}
