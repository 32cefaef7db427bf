#!/usr/bin/env node
// `npm start`: the JD Cloud emulator on 127.0.0.1:8788 and the gateway on 127.0.0.1:8787,
// both under `wrangler dev` (workerd, Durable Objects in local SQLite under .wrangler/state).
// Ctrl-C stops both; if either exits, the other is stopped and the exit code is passed on.
// `npm start -- --https` serves the gateway on https://127.0.0.1:8787 (wrangler's self-signed
// certificate): kubectl sends bearer tokens only over TLS.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = fileURLToPath(
  new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url),
);
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };

const services = [
  {
    name: 'emulator',
    config: 'src/emulator/wrangler.toml',
    args: [
      '--config',
      'src/emulator/wrangler.toml',
      '--port',
      '8788',
      // wrangler resolves --env-file against the config file's folder: pass an absolute path.
      '--env-file',
      `${root}config/emulator.env`,
    ],
  },
  {
    name: 'gateway',
    config: 'wrangler.toml',
    args: [
      '--port',
      '8787',
      '--env-file',
      `${root}config/local.env`,
      ...(process.argv.includes('--https') ? ['--local-protocol', 'https'] : []),
    ],
  },
].filter((s) => existsSync(new URL(`../${s.config}`, import.meta.url)));

const children = services.map(({ name, args }) => {
  const child = spawn(
    process.execPath,
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
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const prefix = (stream, out) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return { name, child };
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGINT');
  const force = setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 5000);
  force.unref();
  Promise.all(
    children.map(
      ({ child }) => child.exitCode !== null || new Promise((r) => child.once('exit', r)),
    ),
  ).then(() => process.exit(code));
}

for (const { name, child } of children) {
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping the rest`);
      stopAll(code ?? 1);
    }
  });
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
