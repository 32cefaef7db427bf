/**
 * The gateway and the emulator under `wrangler dev` for benchmarks: like the e2e stack
 * (test/support/e2e-stack.ts), plus what measuring needs — the process ids (for CPU time),
 * extra namespaces, and the per-caller rate limit raised so the
 * load client measures podgate, not its 429s. The rate-limit binding is still called on every
 * request; only its limit differs from wrangler.toml.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Stack, startStack } from '../../test/support/e2e-stack.ts';
import { root } from './paths.ts';

export type BenchStack = Stack;

export interface BenchStackOptions {
  /** Gateway vars added to config/local.env (e.g. PODGATE_NAMESPACES). */
  vars: Record<string, string>;
  /** Emulator transition length (ms). */
  transitionMs: number;
  /** The gateway's prebuilt bundle (`wrangler deploy --dry-run --outdir`), served as is. */
  bundle: string;
}

const BENCH_RATE_LIMIT = 100_000_000;

/**
 * wrangler.toml with the rate limit raised and `main` pointing at the prebuilt bundle, written
 * under bench/.tmp (git-ignored). Serving the bundle (`--no-bundle`) measures exactly the code
 * whose size is reported, and edits to src/ during a run cannot reload the Worker mid-measure.
 */
function benchGatewayConfig(bundle: string): string {
  const dir = join(root, 'bench/.tmp');
  mkdirSync(dir, { recursive: true });
  const source = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const main = relative(dir, bundle);
  const assets = relative(dir, join(root, 'node_modules/swagger-ui-dist'));
  const config = source
    .replace(/^main = "src\/index\.ts"$/m, `main = "${main}"`)
    .replace(/^directory = "\.\/node_modules\/swagger-ui-dist"$/m, `directory = "${assets}"`)
    .replace(/simple = \{ limit = \d+,/, `simple = { limit = ${BENCH_RATE_LIMIT},`);
  if (
    !config.includes(`main = "${main}"`) ||
    !config.includes(`directory = "${assets}"`) ||
    !config.includes(String(BENCH_RATE_LIMIT))
  ) {
    throw new Error('wrangler.toml changed shape: update bench/support/stack.ts');
  }
  const path = join(dir, 'wrangler.toml');
  writeFileSync(path, config);
  return path;
}

/** The benchmark stack: the e2e stack serving the prebuilt bundle under the bench config. */
export function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  return startStack({
    transitionMs: options.transitionMs,
    // The gateway's own default poll interval, so background polls count as in production.
    pollMs: 2000,
    vars: options.vars,
    gatewayArgs: ['--config', benchGatewayConfig(options.bundle), '--no-bundle'],
  });
}
