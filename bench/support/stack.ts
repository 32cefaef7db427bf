/**
 * The benchmark stack: the JD Cloud emulator, the gateway (the very minified bundle whose size
 * is reported) and the pass-through floor Worker (bench/baselines/pass-through.js), each in its
 * own workerd process (test/support/miniflare-workers.ts), so each one's CPU time is its own.
 */
import { buildEmulator } from '../../test/support/build-emulator.ts';
import {
  emulatorWorker,
  gatewayWorker,
  startWorker,
} from '../../test/support/miniflare-workers.ts';
import { root } from './paths.ts';

export interface BenchStack {
  gateway: string;
  emulator: string;
  /** The pass-through Worker in front of the emulator. */
  floor: string;
  /** The workerd process of each Worker (for CPU time). */
  pids: { gateway: number; emulator: number; floor: number };
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Gateway vars added to config/local.env (e.g. PODGATE_NAMESPACES). */
  vars: Record<string, string>;
  /** Emulator transition length (ms). */
  transitionMs: number;
  /** The gateway's prebuilt bundle (`wrangler deploy --dry-run --outdir`), under the project. */
  bundle: string;
}

/** The rate-limit binding stays in the path (it is called on every request), raised out of the way. */
const BENCH_RATE_LIMIT = 100_000_000;

/**
 * The gateway as the bench runs it: every scenario's connections share one caller's token, so
 * the per-caller limit is raised (a deployment counts each user apart).
 */
export function benchGateway(bundle: string, emulator: string, vars: Record<string, string>) {
  return {
    ...gatewayWorker(bundle, emulator, vars),
    ratelimits: {
      PODGATE_RATE_LIMITER: {
        namespace_id: '8001',
        simple: { limit: BENCH_RATE_LIMIT, period: 60 },
      },
    },
  };
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const emulator = await startWorker(emulatorWorker(buildEmulator(), options.transitionMs));
  const gateway = await startWorker(benchGateway(options.bundle, emulator.origin, options.vars));
  const floor = await startWorker({
    name: 'pass-through',
    scriptPath: `${root}bench/baselines/pass-through.js`,
    bindings: { TARGET: emulator.origin },
  });
  return {
    gateway: gateway.origin,
    emulator: emulator.origin,
    floor: floor.origin,
    pids: { gateway: gateway.pid, emulator: emulator.pid, floor: floor.pid },
    async stop() {
      await Promise.all([floor.mf.dispose(), gateway.mf.dispose(), emulator.mf.dispose()]);
    },
  };
}
