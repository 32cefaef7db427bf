/**
 * Starts the real thing for end-to-end tests and the load test: the JD Cloud emulator and the
 * gateway under `wrangler dev` (workerd), on free loopback ports, with fresh local state.
 * The emulator's clock is frozen unless a test moves it (`advance`), so transitions happen
 * exactly when a test says; the gateway polls JD Cloud every `pollMs` while pods are in motion.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Stack {
  gateway: string;
  emulator: string;
  /** Moves the emulator's clock by `ms` (completing transitions due by then). */
  advance(ms: number): Promise<void>;
  /** Output of both processes so far (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** How long emulated transitions last (default one hour: nothing moves unless advanced). */
  transitionMs?: number;
  /** The gateway's poll interval while pods are in transition (default 100 ms). */
  pollMs?: number;
  /** Extra gateway vars. */
  vars?: Record<string, string>;
  /** The emulator's JD rate limit in calls per minute (default 0: off, as in every test). */
  jdCallsPerMinute?: number;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = join(root, 'node_modules/.bin/node');
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function startWrangler(args: string[], output: string[]): ChildProcess {
  const child = spawn(
    node,
    [
      wrangler,
      'dev',
      '--ip',
      '127.0.0.1',
      '--inspector-port',
      '0',
      '--show-interactive-dev-session=false',
      ...args,
    ],
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

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  output: string[],
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
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
  throw new Error(`${url} did not come up within ${timeoutMs} ms:\n${output.join('')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the stack on free ports. A port found free can be taken by another process (another
 * suite's workerd) before wrangler binds it: then the stack starts again on new ports.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(options);
    } catch (error) {
      const taken = String(error).includes('Address already in use');
      if (!taken || attempt >= 3) throw error;
    }
  }
}

async function startStackOnce(options: StackOptions): Promise<Stack> {
  const [gatewayPort, emulatorPort] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), 'podgate-e2e-'));
  const output: string[] = [];
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const emulatorChild = startWrangler(
    [
      '--config',
      'src/emulator/wrangler.toml',
      '--port',
      String(emulatorPort),
      '--env-file',
      join(root, 'config/emulator.env'),
      // Separate state folders: two workerd processes on one folder can meet SQLITE_BUSY.
      '--persist-to',
      join(state, 'emulator'),
      '--var',
      `EMULATOR_TRANSITION_MS:${options.transitionMs ?? 3_600_000}`,
      '--var',
      `EMULATOR_CALLS_PER_MINUTE:${options.jdCallsPerMinute ?? 0}`,
    ],
    output,
  );
  const vars = {
    JDCLOUD_ENDPOINT: emulatorUrl,
    PODGATE_POLL_MS: String(options.pollMs ?? 100),
    // The JD call budget out of the way, as the emulator's rate limit is (see jdCallsPerMinute).
    PODGATE_JD_CALLS_PER_MINUTE: '1000000',
    ...options.vars,
  };
  const gatewayChild = startWrangler(
    [
      '--port',
      String(gatewayPort),
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
    await waitUntilUp(`${emulatorUrl}/__emulator/clock`, emulatorChild, output);
    await waitUntilUp(`http://127.0.0.1:${gatewayPort}/healthz`, gatewayChild, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    gateway: `http://127.0.0.1:${gatewayPort}`,
    emulator: emulatorUrl,
    async advance(ms) {
      const res = await fetch(`${emulatorUrl}/__emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
      if (!res.ok) throw new Error(`emulator clock: ${res.status} ${await res.text()}`);
    },
    logs: () => output.join(''),
    stop,
  };
}
