/**
 * The benchmark stack: the JD Cloud emulator, the gateway (the very minified bundle whose size
 * is reported) and the pass-through floor Worker (bench/baselines/pass-through.js), each in its
 * own workerd process started by Miniflare — the runtime `wrangler dev` runs, without the dev
 * proxy wrangler puts in front of every Worker (production has none). One process each keeps
 * each one's CPU time its own. State is in memory and starts empty. Everything on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseEnv } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { buildEmulator } from '../../test/support/build-emulator.ts';
import { workerdChildren } from '../../test/support/workerd-processes.ts';
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
const COMPATIBILITY_DATE = '2026-11-01';

const envFile = (file: string) =>
  parseEnv(readFileSync(`${root}${file}`, 'utf8')) as Record<string, string>;

const workerdPids = () => new Set(workerdChildren().map((p) => p.pid));

/** Starts one Miniflare instance and returns its URL and its new workerd process. */
async function start(options: Record<string, unknown>) {
  const before = workerdPids();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      ...options,
      modules: true,
      compatibilityDate: COMPATIBILITY_DATE,
      host: '127.0.0.1',
      port: 0,
      // The Workers' console (podgate's audit line per mutation) would drown the report: only
      // warnings and errors are shown.
      handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
        if (level === 'warn' || level === 'error') process.stderr.write(`${message}\n`);
      },
    } as never),
  );
  const url = await mf.ready;
  const started = [...workerdPids()].filter((pid) => !before.has(pid));
  if (started.length !== 1) throw new Error(`expected one new workerd process, saw ${started}`);
  return { mf, origin: url.origin, pid: started[0] as number };
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  // workerd reads modules relative to the working directory and refuses paths above it.
  const inProject = (path: string) => relative(process.cwd(), path);
  const emulator = await start({
    name: 'jdcloud-emulator',
    scriptPath: inProject(buildEmulator()),
    bindings: {
      ...envFile('config/emulator.env'),
      EMULATOR_TRANSITION_MS: String(options.transitionMs),
    },
    durableObjects: { EMULATOR_STATE: { className: 'EmulatorState', useSQLite: true } },
  });
  const gateway = await start({
    name: 'podgate',
    scriptPath: inProject(options.bundle),
    compatibilityFlags: ['nodejs_als'],
    bindings: {
      ...envFile('config/local.env'),
      JDCLOUD_ENDPOINT: emulator.origin,
      ...options.vars,
    },
    durableObjects: { NAMESPACES: { className: 'NamespaceStore', useSQLite: true } },
    ratelimits: {
      PODGATE_RATE_LIMITER: {
        namespace_id: '8001',
        simple: { limit: BENCH_RATE_LIMIT, period: 60 },
      },
    },
  });
  const floor = await start({
    name: 'pass-through',
    scriptPath: inProject(`${root}bench/baselines/pass-through.js`),
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
