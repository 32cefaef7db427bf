/**
 * Workers each in a workerd process of its own, started by Miniflare — the runtime `wrangler dev`
 * runs, without the dev proxy it puts in front of every Worker (production has none). The soak
 * and the benchmarks start the emulator and the gateway this way, so each one's memory and CPU
 * time are its own. State is in memory and starts empty; everything listens on 127.0.0.1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { workerdChildren } from './workerd-processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The gateway's compatibility date, from wrangler.toml (the emulator's is the same). */
export const COMPATIBILITY_DATE =
  /^compatibility_date = "([\d-]+)"$/m.exec(readFileSync(`${root}wrangler.toml`, 'utf8'))?.[1] ??
  '';

export const envFile = (file: string) =>
  parseEnv(readFileSync(`${root}${file}`, 'utf8')) as Record<string, string>;

export interface StartedWorker {
  mf: Miniflare;
  origin: string;
  /** Its workerd process. */
  pid: number;
}

const workerdPids = () => new Set(workerdChildren().map((p) => p.pid));

/**
 * Starts one Worker (Miniflare v4-style options; `scriptPath` under the project). Its console
 * (podgate's audit line per mutation) is dropped but for warnings and errors.
 */
export async function startWorker(options: Record<string, unknown>): Promise<StartedWorker> {
  const before = workerdPids();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      compatibilityDate: COMPATIBILITY_DATE,
      host: '127.0.0.1',
      port: 0,
      handleStructuredLogs: ({ level, message }: { level: string; message: string }) => {
        if (level === 'warn' || level === 'error') process.stderr.write(`${message}\n`);
      },
      ...options,
      // workerd reads modules relative to its working directory and refuses paths above it.
      scriptPath: relative(process.cwd(), String(options.scriptPath)),
    } as never),
  );
  const url = await mf.ready;
  const started = [...workerdPids()].filter((pid) => !before.has(pid));
  if (started.length !== 1) throw new Error(`expected one new workerd process, saw ${started}`);
  return { mf, origin: url.origin, pid: started[0] as number };
}

/**
 * The JD Cloud emulator (config/emulator.env) with transitions lasting `transitionMs`, JD's
 * rate limit off unless `vars` turn it on (EMULATOR_CALLS_PER_MINUTE), plus other `vars`.
 */
export const emulatorWorker = (
  scriptPath: string,
  transitionMs: number,
  vars: Record<string, string> = {},
) => ({
  name: 'jdcloud-emulator',
  scriptPath,
  bindings: {
    ...envFile('config/emulator.env'),
    EMULATOR_TRANSITION_MS: String(transitionMs),
    EMULATOR_CALLS_PER_MINUTE: '0',
    ...vars,
  },
  durableObjects: { EMULATOR_STATE: { className: 'EmulatorState', useSQLite: true } },
});

/**
 * The modules of a wrangler bundle: its `index.js`, and the Text modules wrangler wrote beside
 * it (Kubernetes' field descriptions), each relative to the working directory as workerd wants.
 */
function bundleModules(scriptPath: string) {
  const dir = dirname(scriptPath);
  const rel = (file: string) => relative(process.cwd(), join(dir, file));
  return [
    { type: 'ESModule', path: rel(basename(scriptPath)) },
    ...readdirSync(dir)
      .filter((file) => file.endsWith('.txt'))
      .map((file) => ({ type: 'Text', path: rel(file) })),
  ];
}

/**
 * The gateway (config/local.env plus `vars`) calling the JD Cloud at `jdEndpoint`; its JD call
 * budget out of the way unless `vars` set PODGATE_JD_CALLS_PER_MINUTE.
 */
export const gatewayWorker = (
  scriptPath: string,
  jdEndpoint: string,
  vars: Record<string, string>,
) => ({
  name: 'podgate',
  scriptPath,
  modules: bundleModules(scriptPath),
  compatibilityFlags: ['nodejs_als'],
  bindings: {
    ...envFile('config/local.env'),
    JDCLOUD_ENDPOINT: jdEndpoint,
    PODGATE_JD_CALLS_PER_MINUTE: '1000000',
    ...vars,
  },
  durableObjects: {
    NAMESPACES: { className: 'NamespaceStore', useSQLite: true },
    JD_BUDGET: { className: 'JdBudget', useSQLite: true },
  },
});
