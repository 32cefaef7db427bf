/**
 * The gateway and the emulator under `wrangler dev` for benchmarks: like the e2e stack
 * (test/support/e2e-stack.ts), plus what measuring needs — the process ids (for CPU time),
 * extra namespaces, and the per-caller rate limit raised so the
 * load client measures podgate, not its 429s. The rate-limit binding is still called on every
 * request; only its limit differs from wrangler.toml.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { freePort } from '../../test/support/e2e-stack.ts';
import { root } from './paths.ts';

export interface BenchStack {
  gateway: string;
  emulator: string;
  /** The `wrangler dev` processes (their workerd children run the Workers). */
  gatewayPid: number;
  emulatorPid: number;
  logs(): string;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  /** Gateway vars added to config/local.env (e.g. PODGATE_NAMESPACES). */
  vars: Record<string, string>;
  /** Emulator transition length (ms). */
  transitionMs: number;
  /** The gateway's prebuilt bundle (`wrangler deploy --dry-run --outdir`), served as is. */
  bundle: string;
}

const node = join(root, 'node_modules/.bin/node');
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js');
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
  const config = source
    .replace(/^main = "src\/index\.ts"$/m, `main = "${main}"`)
    .replace(/simple = \{ limit = \d+,/, `simple = { limit = ${BENCH_RATE_LIMIT},`);
  if (!config.includes(`main = "${main}"`) || !config.includes(String(BENCH_RATE_LIMIT))) {
    throw new Error('wrangler.toml changed shape: update bench/support/stack.ts');
  }
  const path = join(dir, 'wrangler.toml');
  writeFileSync(path, config);
  return path;
}

function startWrangler(args: string[], output: string[]): ChildProcess {
  const child = spawn(
    node,
    [wrangler, 'dev', '--ip', '127.0.0.1', '--show-interactive-dev-session=false', ...args],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  return child;
}

async function waitUntilUp(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler exited early:\n${output.join('')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up:\n${output.join('')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const [gatewayPort, emulatorPort] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), 'podgate-bench-'));
  const output: string[] = [];
  const emulator = `http://127.0.0.1:${emulatorPort}`;
  const emulatorChild = startWrangler(
    [
      '--config',
      'src/emulator/wrangler.toml',
      '--port',
      String(emulatorPort),
      '--inspector-port',
      '0',
      '--env-file',
      join(root, 'config/emulator.env'),
      '--persist-to',
      // Separate state folders: two workerd processes on one folder can meet SQLITE_BUSY.
      join(state, 'emulator'),
      '--var',
      `EMULATOR_TRANSITION_MS:${options.transitionMs}`,
    ],
    output,
  );
  const vars = { JDCLOUD_ENDPOINT: emulator, ...options.vars };
  const gatewayChild = startWrangler(
    [
      '--config',
      benchGatewayConfig(options.bundle),
      '--no-bundle',
      '--port',
      String(gatewayPort),
      '--inspector-port',
      '0',
      '--env-file',
      join(root, 'config/local.env'),
      '--persist-to',
      join(state, 'gateway'),
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
    ],
    output,
  );
  const stop = async () => {
    await Promise.all([stopChild(gatewayChild), stopChild(emulatorChild)]);
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(`${emulator}/__emulator/clock`, emulatorChild, output);
    await waitUntilUp(`http://127.0.0.1:${gatewayPort}/healthz`, gatewayChild, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gateway: `http://127.0.0.1:${gatewayPort}`,
    emulator,
    gatewayPid: gatewayChild.pid ?? 0,
    emulatorPid: emulatorChild.pid ?? 0,
    logs: () => output.join(''),
    stop,
  };
}
