/**
 * Memory soak: the gateway's minified bundle and the emulator run in Miniflare directly (one
 * workerd process, no `wrangler dev` proxy or inspector, which grow by themselves with every
 * request), under a bounded mixed load of reads and image patches. Passes when the runtime's
 * resident memory levels off: growth over the second half of the run stays under
 * SOAK_MAX_GROWTH_MB. Prints the samples.
 *
 *   npm run test:soak                  # 20 connections × 40 s
 *   SOAK_SECONDS=120 npm run test:soak
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { Pool } from 'undici';
import { buildEmulator } from '../support/build-emulator.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 40);
const CONNECTIONS = 20;
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_GROWTH_MB ?? 64);
const root = new URL('../..', import.meta.url).pathname;
const NS = '/api/v1/namespaces/default/pods';
const H = { authorization: 'Bearer podgate-dev-admin', 'content-type': 'application/json' };

function buildGateway(): string {
  const outdir = `${root}.wrangler/soak-gateway`;
  execFileSync(
    `${root}node_modules/.bin/node`,
    [
      'node_modules/wrangler/bin/wrangler.js',
      'deploy',
      '--dry-run',
      '--minify',
      '--outdir',
      outdir,
    ],
    { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
  return `${outdir}/index.js`;
}

/** Resident memory (MiB) of the workerd processes this script started. */
function workerdRssMb(): number {
  const parent = new Map<number, number>();
  const status = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/status`, 'utf8');
      parent.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(text)?.[1]));
      status.set(Number(entry), text);
    } catch {
      // ended meanwhile
    }
  }
  let total = 0;
  for (const [pid, text] of status) {
    if (!/^Name:\s+workerd/m.test(text)) continue;
    let p = parent.get(pid);
    while (p && p !== process.pid) p = parent.get(p);
    if (p === process.pid) total += Number(/^VmRSS:\s+(\d+)/m.exec(text)?.[1]) / 1024;
  }
  return total;
}

const env = (file: string) =>
  parseEnv(readFileSync(`${root}${file}`, 'utf8')) as Record<string, string>;

const mf = new Miniflare(
  convertV4MiniflareOptions({
    workers: [
      {
        name: 'podgate',
        modules: true,
        scriptPath: buildGateway(),
        compatibilityDate: '2026-11-01',
        compatibilityFlags: ['nodejs_als'],
        // No rate-limit binding: podgate falls back to its per-isolate window, raised here.
        bindings: {
          ...env('config/local.env'),
          PODGATE_POLL_MS: '500',
          PODGATE_RATE_LIMIT_PER_MINUTE: '1000000',
        },
        durableObjects: { NAMESPACES: { className: 'NamespaceStore', useSQLite: true } },
        outboundService: 'jdcloud-emulator',
      },
      {
        name: 'jdcloud-emulator',
        modules: true,
        scriptPath: buildEmulator(),
        compatibilityDate: '2026-11-01',
        bindings: { ...env('config/emulator.env'), EMULATOR_TRANSITION_MS: '3600000' },
        durableObjects: { EMULATOR_STATE: { className: 'EmulatorState', useSQLite: true } },
      },
    ],
    host: '127.0.0.1',
    port: 0,
  }),
);

const url = await mf.ready;
// The emulator's control endpoint, reached through Miniflare (it has no port of its own here).
const emulator = (await mf.getWorker('jdcloud-emulator')) as unknown as {
  fetch(url: string, init: { method: string; body: string }): Promise<unknown>;
};
const advance = (ms: number) =>
  emulator.fetch('http://127.0.0.1:8788/__emulator/clock', {
    method: 'POST',
    body: JSON.stringify({ advanceMs: ms }),
  });
const pool = new Pool(url.origin, { connections: CONNECTIONS });
const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
  const res = await pool.request({
    method: method as 'GET',
    path,
    headers: { ...H, 'content-type': type },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.statusCode, text: await res.body.text() };
};

const PODS = 10;
for (let i = 0; i < PODS; i++) {
  const res = await call('POST', NS, {
    metadata: { name: `soak-${i}` },
    spec: { containers: [{ name: 'app', image: 'nginx:1.0' }] },
  });
  if (res.status !== 201) throw new Error(`create soak-${i}: ${res.status} ${res.text}`);
}
await advance(3_600_000);

const samples: { s: number; mb: number; requests: number }[] = [];
const statuses = new Map<number, number>();
let requests = 0;
let sequence = 0;
const started = Date.now();
const sampler = setInterval(() => {
  samples.push({
    s: Math.round((Date.now() - started) / 1000),
    mb: Math.round(workerdRssMb()),
    requests,
  });
}, 2000);
const clock = setInterval(() => void advance(5_000), 250);
await Promise.all(
  Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() - started < SECONDS * 1000) {
      const pod = `soak-${Math.floor(Math.random() * PODS)}`;
      const read = await call('GET', `${NS}/${pod}`);
      statuses.set(read.status, (statuses.get(read.status) ?? 0) + 1);
      requests++;
      if (Math.random() < 0.3) {
        const patch = await call(
          'PATCH',
          `${NS}/${pod}`,
          { spec: { containers: [{ name: 'app', image: `nginx:1.${++sequence}` }] } },
          'application/strategic-merge-patch+json',
        );
        statuses.set(patch.status, (statuses.get(patch.status) ?? 0) + 1);
        requests++;
      }
    }
  }),
);
clearInterval(sampler);
clearInterval(clock);
samples.push({
  s: Math.round((Date.now() - started) / 1000),
  mb: Math.round(workerdRssMb()),
  requests,
});
await pool.close();
await mf.dispose();

const half = samples.find((x) => x.s >= SECONDS / 2) ?? samples[0];
const end = samples[samples.length - 1];
const growth = (end?.mb ?? 0) - (half?.mb ?? 0);
console.log(JSON.stringify({ requests, statuses: Object.fromEntries(statuses), samples }, null, 1));
const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
if (fivexx || growth > MAX_GROWTH_MB) {
  console.error(`soak FAILED: ${fivexx} × 5xx, RSS grew ${growth} MiB over the second half`);
  process.exitCode = 1;
} else {
  console.log(
    `soak passed: ${requests} requests, no 5xx, RSS grew ${growth} MiB over the second half (limit ${MAX_GROWTH_MB})`,
  );
}
