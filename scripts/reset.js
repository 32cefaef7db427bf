#!/usr/bin/env node
// `npm run reset`: deletes the local state of the gateway and the emulator (their Durable
// Objects: pods, resourceVersions, watch history, the emulator's JD pods), after listing what
// it will delete. Asks first on a terminal unless --yes. Refuses while `npm start` runs on that
// state. Keeps the TLS certificate (.wrangler/tls), so kubeconfigs already written stay valid.
// Options: --state DIR (scripts/lib/local-stack.mjs), --yes.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import {
  parseStackArgs,
  Refusal,
  root,
  runningStart,
  shown,
  stateDirs,
  UsageError,
} from './lib/local-stack.mjs';

const USAGE = 'usage: npm run reset [-- --yes] [--state DIR]';

/** Files and bytes under `path`. */
function size(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { files: 1, bytes: stat.size };
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(path)) {
    const inner = size(join(path, entry));
    files += inner.files;
    bytes += inner.bytes;
  }
  return { files, bytes };
}

const human = (bytes) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1048576).toFixed(1)} MiB`;

async function main() {
  const { stack, values, positionals } = parseStackArgs(process.argv.slice(2), {
    yes: { type: 'boolean', short: 'y' },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length) throw new UsageError(`unexpected "${positionals[0]}"`);
  const running = runningStart(stack);
  if (running) {
    throw new Refusal(
      `npm start (pid ${running.pid}) runs the ${running.name} on ${shown(stack.stateDir)}: ` +
        'stop it (Ctrl-C) first, then reset',
    );
  }
  const dirs = stateDirs(stack);
  const targets = [
    { path: dirs.gateway, what: 'gateway state (pods, resourceVersions, watch history)' },
    { path: dirs.emulator, what: 'JD Cloud emulator state (its pods, quotas, call log)' },
  ];
  if (stack.stateDir === join(root, '.wrangler/state')) {
    // Where wrangler kept them before `npm start` chose the folders itself.
    targets.push(
      { path: join(root, '.wrangler/state/v3'), what: 'gateway state of older checkouts' },
      {
        path: join(root, 'src/emulator/.wrangler/state'),
        what: 'emulator state of older checkouts',
      },
    );
  }
  const present = targets.filter((t) => existsSync(t.path));
  if (!present.length) {
    console.log(`nothing to delete: no local state in ${shown(stack.stateDir)}`);
    return;
  }
  console.log('npm run reset deletes:');
  for (const t of present) {
    const { files, bytes } = size(t.path);
    console.log(`  ${shown(t.path)}  ${t.what}: ${files} files, ${human(bytes)}`);
  }
  if (!values.yes && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question('Delete these? [y/N] ');
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      console.log('nothing deleted');
      return;
    }
  }
  for (const t of present) rmSync(t.path, { recursive: true, force: true });
  console.log('deleted. The next npm start begins with no pods (the TLS certificate is kept).');
}

main().catch((error) => {
  if (error instanceof Refusal) console.error(error.message);
  else console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
