// What `npm start`, `npm run kubeconfig` and `npm run reset` agree on: the local stack's ports,
// where its state and its TLS certificate live, and the dev tokens of config/local.env.
// Every script takes the same options, so a second stack (tests, a colleague's ports) can run
// beside the default one:
//   --port N            the gateway (default 8787, or $PODGATE_PORT)
//   --emulator-port N   the JD Cloud emulator (default 8788, or $PODGATE_EMULATOR_PORT)
//   --state DIR         local state of both Workers (default .wrangler/state, or $PODGATE_STATE_DIR)
//   --tls-dir DIR       the certificate of `--https` (default .wrangler/tls, or $PODGATE_TLS_DIR)
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The dev tokens of config/local.env (only their SHA-256 is in that file). */
export const DEV_TOKENS = { admin: 'podgate-dev-admin', viewer: 'podgate-dev-viewer' };

const stackOptions = {
  port: { type: 'string' },
  'emulator-port': { type: 'string' },
  state: { type: 'string' },
  'tls-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

function port(value, flag) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new UsageError(`${flag} must be a TCP port (1-65535), not "${value}"`);
  }
  return n;
}

export class UsageError extends Error {}

/** The arguments were fine, but the state of things says no (shown without the usage text). */
export class Refusal extends UsageError {}

/**
 * Parses the shared options plus the script's own (`node:util` parseArgs descriptors).
 * Returns `{ stack, values, positionals }`; `stack` holds absolute paths and numbers.
 */
export function parseStackArgs(argv, own = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...stackOptions, ...own },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  const env = process.env;
  const stack = {
    port: port(values.port ?? env.PODGATE_PORT ?? '8787', '--port'),
    emulatorPort: port(
      values['emulator-port'] ?? env.PODGATE_EMULATOR_PORT ?? '8788',
      '--emulator-port',
    ),
    stateDir: resolve(root, values.state ?? env.PODGATE_STATE_DIR ?? '.wrangler/state'),
    tlsDir: resolve(root, values['tls-dir'] ?? env.PODGATE_TLS_DIR ?? '.wrangler/tls'),
  };
  if (stack.port === stack.emulatorPort) {
    throw new UsageError(`--port and --emulator-port must differ (both ${stack.port})`);
  }
  return { stack, values, positionals };
}

/** Where each Worker keeps its Durable Objects (separate: two workerd on one folder can clash). */
export const stateDirs = (stack) => ({
  gateway: join(stack.stateDir, 'gateway'),
  emulator: join(stack.stateDir, 'emulator'),
});

/**
 * `npm start` records itself per Worker it runs (`npm run emulator` and `npm run gateway` may
 * share a state folder), so `npm run reset` and a second start can refuse to pull the rug.
 */
export const runningFile = (stack, name) => join(stack.stateDir, `${name}.running.json`);

/** The live `npm start` that runs `names` (default: either Worker) on this state folder. */
export function runningStart(stack, names = ['gateway', 'emulator']) {
  for (const name of names) {
    const file = runningFile(stack, name);
    if (!existsSync(file)) continue;
    try {
      const running = JSON.parse(readFileSync(file, 'utf8'));
      process.kill(running.pid, 0);
      return { ...running, name };
    } catch {
      // stale: that process is gone
    }
  }
  return undefined;
}

/** A path as the user would type it: relative to the current folder when inside it. */
export function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
