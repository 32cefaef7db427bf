/**
 * Worker bundles built with `wrangler deploy --dry-run`, for the runs that start workerd
 * themselves: the emulator as the Workers tests' auxiliary worker (and the soak's and the
 * benchmarks' JD Cloud), the gateway's minified bundle for the soak. Each returns the path of
 * the bundled entry module, under .wrangler/ (workerd refuses module paths above its cwd).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles a Worker into `.wrangler/<outDir>` with extra `wrangler deploy` arguments. */
export function bundleWorker(outDir: string, args: string[] = []): string {
  const out = `${root}.wrangler/${outDir}`;
  // wrangler needs Node 22: use the project's pinned binary, whatever runs this.
  execFileSync(
    `${root}node_modules/.bin/node`,
    ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', out, ...args],
    { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  return `${out}/index.js`;
}

/** The JD Cloud emulator Worker. */
export const buildEmulator = () =>
  bundleWorker('test-emulator', ['--config', 'src/emulator/wrangler.toml']);
