#!/usr/bin/env node
// `npm start`: the JD Cloud emulator on 127.0.0.1:8788 and the gateway on 127.0.0.1:8787, both
// under `wrangler dev` (workerd; Durable Objects in local SQLite under .wrangler/state), on the
// project's own Node. Prints progress while they come up and one line when both answer; then
// passes their request logs through. Ctrl-C stops both; if either exits, the other is stopped
// and the exit code is passed on.
//
//   npm start -- --https           the gateway over TLS (kubectl sends tokens only over TLS),
//                                  with a certificate made for this checkout (.wrangler/tls)
//   npm start -- --verbose         wrangler's own start-up output too
//   npm start -- --only emulator   one of the two (`npm run emulator`)
//   --port, --emulator-port, --state, --tls-dir: see scripts/lib/local-stack.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEV_TOKENS,
  parseStackArgs,
  Refusal,
  root,
  runningFile,
  runningStart,
  shown,
  stateDirs,
  UsageError,
} from './lib/local-stack.mjs';
import { ensureCertificate } from './lib/local-tls.mjs';
import { answers, portFree } from './lib/probe.mjs';

const USAGE = `usage: npm start [-- --https] [--verbose] [--only gateway|emulator]
                 [--port 8787] [--emulator-port 8788] [--state DIR] [--tls-dir DIR]`;

let args;
try {
  args = parseStackArgs(process.argv.slice(2), {
    https: { type: 'boolean' },
    verbose: { type: 'boolean' },
    only: { type: 'string' },
  });
  if (args.values.only && !['gateway', 'emulator'].includes(args.values.only)) {
    throw new UsageError(`--only is gateway or emulator, not "${args.values.only}"`);
  }
  if (args.positionals.length) throw new UsageError(`unexpected "${args.positionals[0]}"`);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { stack, values } = args;
const https = values.https === true;
const verbose = values.verbose === true;
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line) => process.stdout.write(`${line}\n`);

// Run wrangler on the project's pinned Node even when this script was started by another one.
const pinnedNode = join(root, 'node_modules/.bin/node');
const node = existsSync(pinnedNode) ? pinnedNode : process.execPath;
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js');
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  NO_UPDATE_NOTIFIER: '1',
  // Miniflare otherwise fetches the `Request.cf` placeholder from workers.cloudflare.com at every
  // start, and offline prints a warning with a stack trace per Worker. podgate never reads
  // `request.cf`; its built-in placeholder is enough.
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? 'false',
};

const emulatorUrl = `http://127.0.0.1:${stack.emulatorPort}`;
const gatewayUrl = `${https ? 'https' : 'http'}://127.0.0.1:${stack.port}`;
const dirs = stateDirs(stack);

async function preflight(services) {
  const other = runningStart(
    stack,
    services.map((s) => s.name),
  );
  if (other) {
    throw new Refusal(
      `npm start (pid ${other.pid}) already runs the ${other.name} on ${shown(stack.stateDir)}: ` +
        'stop it first, or ' +
        'give this one its own --state DIR',
    );
  }
  for (const s of services) {
    if (!(await portFree(s.port))) {
      throw new Refusal(
        `port ${s.port} (the ${s.name}) is in use by another program. Stop it (\`ss -ltnp | grep ${s.port}\` ` +
          'or `lsof -i :' +
          `${s.port}\` shows which), or pick other ports: npm start -- --port 8797 --emulator-port 8798`,
      );
    }
  }
}

async function servicesToRun() {
  const all = [
    {
      name: 'emulator',
      port: stack.emulatorPort,
      probe: `${emulatorUrl}/__emulator/clock`,
      args: [
        '--config',
        'src/emulator/wrangler.toml',
        '--port',
        String(stack.emulatorPort),
        // wrangler resolves --env-file against the config file's folder: pass an absolute path.
        '--env-file',
        join(root, 'config/emulator.env'),
        '--persist-to',
        dirs.emulator,
      ],
    },
    {
      name: 'gateway',
      port: stack.port,
      probe: `${gatewayUrl}/healthz`,
      args: [
        '--port',
        String(stack.port),
        '--env-file',
        join(root, 'config/local.env'),
        '--persist-to',
        dirs.gateway,
        '--var',
        `JDCLOUD_ENDPOINT:${emulatorUrl}`,
      ],
    },
  ];
  const services = all.filter((s) => !values.only || s.name === values.only);
  const gateway = services.find((s) => s.name === 'gateway');
  if (gateway && https) {
    const tls = await ensureCertificate(stack.tlsDir);
    if (tls.created) say(`made a TLS certificate for 127.0.0.1 in ${shown(stack.tlsDir)}`);
    gateway.ca = readFileSync(tls.cert);
    gateway.args.push(
      '--local-protocol',
      'https',
      '--https-key-path',
      tls.key,
      '--https-cert-path',
      tls.cert,
    );
  }
  return services;
}

function start(service) {
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
      ...service.args,
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const held = [];
  const forward = (stream, out) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const text = verbose
          ? `[${service.name} +${seconds()}] ${line}\n`
          : `[${service.name}] ${line}\n`;
        if (stopping) continue;
        // Until both answer, wrangler's banners and binding tables are held back (shown if
        // something fails); its errors always pass.
        if (verbose || ready || /✘|\[ERROR\]|\berror\b/i.test(line)) out.write(text);
        else held.push(text);
      }
    });
  };
  forward(child.stdout, process.stdout);
  forward(child.stderr, process.stderr);
  return { ...service, child, held, up: false };
}

let ready = false;
let stopping = false;
let children = [];
/** The Workers this process recorded as running on the state folder. */
let recorded = [];
const forgetRunning = () => {
  for (const name of recorded) rmSync(runningFile(stack, name), { force: true });
};

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  if (ready) say('stopping …');
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGINT');
  const force = setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 5000);
  force.unref();
  Promise.all(
    children.map(
      ({ child }) => child.exitCode !== null || new Promise((r) => child.once('exit', r)),
    ),
  ).then(() => {
    forgetRunning();
    process.exit(code);
  });
}

function readyLine() {
  const only = values.only;
  if (only === 'emulator') {
    return `JD Cloud emulator ready in ${seconds()} on ${emulatorUrl} (credentials podgate-dev-ak / podgate-dev-sk). Ctrl-C stops it.`;
  }
  const tokens = `tokens ${DEV_TOKENS.admin} (admin), ${DEV_TOKENS.viewer} (view, default)`;
  const emulator = only ? '' : `, JD Cloud emulator ${emulatorUrl}`;
  // The same options `npm run kubeconfig` needs to find this gateway and its certificate.
  const own = [
    ...(stack.port === 8787 ? [] : ['--port', String(stack.port)]),
    ...(stack.tlsDir === join(root, '.wrangler/tls') ? [] : ['--tls-dir', shown(stack.tlsDir)]),
  ];
  const flags = own.length ? ` -- ${own.join(' ')}` : '';
  const next = https
    ? `npm run kubeconfig${flags} (then the export line it prints), and kubectl get pods`
    : `curl -s -H 'Authorization: Bearer ${DEV_TOKENS.admin}' ${gatewayUrl}/api/v1/namespaces/default/pods`;
  return `podgate ready in ${seconds()}: gateway ${gatewayUrl} (${tokens})${emulator}. Next: ${next}. Ctrl-C stops.`;
}

async function main() {
  const services = await servicesToRun();
  await preflight(services);
  mkdirSync(stack.stateDir, { recursive: true });
  const record = { pid: process.pid, port: stack.port, emulatorPort: stack.emulatorPort };
  for (const { name } of services) {
    writeFileSync(runningFile(stack, name), `${JSON.stringify(record)}\n`);
  }
  recorded = services.map((s) => s.name);
  const fresh = services.some((s) => !existsSync(dirs[s.name]));
  say(
    `starting ${services.map((s) => `the ${s.name === 'emulator' ? 'JD Cloud emulator' : 'gateway'}`).join(' and ')} ` +
      `(wrangler dev, state in ${shown(stack.stateDir)}${fresh ? '; a first start takes longer, up to ~30 s on a busy machine' : ''}) …`,
  );
  children = services.map(start);
  for (const c of children) {
    c.child.once('exit', (code, signal) => {
      if (stopping) return;
      if (!ready) for (const line of c.held) process.stderr.write(line);
      console.error(`[${c.name}] exited (${signal ?? code}); stopping the rest`);
      stopAll(code || 1);
    });
  }
  const progress = setInterval(() => {
    const states = children.map((c) => `${c.name} ${c.up ? 'up' : 'starting'}`).join(', ');
    say(`… ${seconds()}: ${states}`);
  }, 5000);
  while (!stopping && !children.every((c) => c.up)) {
    await Promise.all(
      children
        .filter((c) => !c.up)
        .map(async (c) => {
          c.up = await answers(c.probe, c.ca);
        }),
    );
    if (!children.every((c) => c.up)) await new Promise((r) => setTimeout(r, 250));
  }
  clearInterval(progress);
  if (stopping) return;
  ready = true;
  say(readyLine());
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
main().catch((error) => {
  console.error(error instanceof UsageError ? error.message : error);
  if (children.length) stopAll(1);
  else {
    forgetRunning();
    process.exit(error instanceof UsageError ? 2 : 1);
  }
});
