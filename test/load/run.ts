/**
 * Bounded concurrent load against the real stack (gateway + emulator under `wrangler dev` on
 * 127.0.0.1): CONNECTIONS clients for DURATION_MS, mixing reads with image patches that carry a
 * resourceVersion precondition. Fails (exit 1) on any 5xx, any lost update, a PATCH answered with
 * another write, or runaway memory.
 *
 *   npm run test:load            # 50 connections × 20 s
 *   LOAD_CONNECTIONS=10 LOAD_SECONDS=5 npm run test:load
 *
 * No lost update: the patches accepted for one pod must form a chain (each based on the version
 * the previous one produced, never two on the same base), and the pod's final spec must carry
 * the image of the last one accepted. Every other patch must have been refused with 409.
 *
 * Hostile callers (one connection in five) meanwhile send requests built to cost more than their
 * size (doubling JSON-patches, deep bodies under any media type, hostile quantities, huge
 * $setElementOrder, quadratic selectors): no 5xx and no hostile write accepted, and the honest
 * traffic beside them must still see no 5xx and no lost update.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { type Stack, startStack } from '../support/e2e-stack.ts';

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const DURATION_MS = Number(process.env.LOAD_SECONDS ?? 20) * 1000;
const PODS = 10;
/**
 * Ceiling for the two workerd runtimes together at the end of the run. Under `wrangler dev`
 * (inspector attached, the emulator logging every call) their RSS grows with the number of
 * requests served, so this catches a runaway leak, not a slow one; the figures are printed.
 */
const MAX_RSS_MB = 1536;
const NS = '/api/v1/namespaces/default/pods';

interface Accepted {
  pod: string;
  image: string;
  /** The resourceVersion the patch was conditioned on. */
  baseRv: number;
  /** The image the PATCH answer shows (its own write, unless podgate answered another). */
  answered: string | undefined;
}

const tokens = Array.from({ length: CONNECTIONS + 1 }, (_, i) => `podgate-load-${i}`);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** One caller per connection, so the per-caller rate limit measures nothing but podgate. */
const tokenConfig = JSON.stringify(
  tokens.map((token, i) => ({ name: `load-${i}`, sha256: sha256(token), role: 'admin' })),
);

/**
 * The workerd runtimes below this one (gateway and emulator; not wrangler's proxy processes),
 * by pid, with their resident memory in MiB.
 */
function workerdRss(): Map<number, number> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parents.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]));
      names.set(Number(entry), /^Name:\s+(\S+)/m.exec(status)?.[1] ?? '');
    } catch {
      // the process ended meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  const rss = new Map<number, number>();
  for (const [pid, name] of names) {
    if (!name.startsWith('workerd') || !below(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--inspector-addr')) continue;
      const kb = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) rss.set(pid, Number(kb) / 1024);
    } catch {
      // ended
    }
  }
  return rss;
}

async function main(): Promise<void> {
  const stack = await startStack({ vars: { PODGATE_TOKENS: tokenConfig } });
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

async function run(stack: Stack): Promise<void> {
  const pool = new Pool(stack.gateway, { connections: CONNECTIONS, pipelining: 1 });
  const call = async (
    token: string,
    method: string,
    path: string,
    body?: unknown,
    type?: string,
  ) => {
    const res = await pool.request({
      method: method as 'GET',
      path,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': type ?? 'application/json' } : {}),
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text ? (JSON.parse(text) as PodLike) : undefined };
  };
  const admin = tokens[CONNECTIONS] as string;

  for (let i = 0; i < PODS; i++) {
    const created = await call(admin, 'POST', NS, {
      metadata: { name: `load-${i}`, labels: { app: 'load' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.0' }] },
    });
    if (created.status !== 201) throw new Error(`create load-${i}: ${created.status}`);
  }
  await stack.advance(3_600_000);

  // The emulator's clock moves only when told: keep JD transitions (the rollouts) going.
  let running = true;
  const clock = (async () => {
    while (running) {
      await stack.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();

  const codes = new Map<number, number>();
  const count = (status: number) => codes.set(status, (codes.get(status) ?? 0) + 1);
  /** What the hostile callers got: never a 5xx, and no hostile write accepted. */
  const hostileCodes = new Map<number, number>();
  let hostileWritesAccepted = 0;
  const accepted: Accepted[] = [];
  const latencies: number[] = [];
  let refused = 0;
  let sequence = 0;
  const samples: number[] = [];
  const perProcess: string[] = [];
  const sampleRss = () => {
    const rss = workerdRss();
    perProcess.push([...rss].map(([pid, mb]) => `${pid}:${mb.toFixed(0)}`).join(' '));
    samples.push([...rss.values()].reduce((a, b) => a + b, 0));
  };
  sampleRss();
  const sampler = setInterval(sampleRss, 1_000);

  const started = Date.now();
  const hostile = async (w: number) => {
    const token = tokens[w] as string;
    for (let k = 0; Date.now() - started < DURATION_MS; k++) {
      const [method, path, body, type] = HOSTILE[k % HOSTILE.length] as HostileRequest;
      const res = await call(token, method, path, body, type);
      hostileCodes.set(res.status, (hostileCodes.get(res.status) ?? 0) + 1);
      // A hostile read may be well-formed (a selector of many `=` is one long value): it must
      // only be cheap. A hostile write must be refused.
      if (method !== 'GET' && res.status < 400) hostileWritesAccepted++;
    }
  };
  const worker = async (w: number) => {
    // One connection in HOSTILE_EVERY sends only hostile traffic, alongside the honest ones.
    if (HOSTILE_EVERY > 0 && w % HOSTILE_EVERY === HOSTILE_EVERY - 1) return hostile(w);
    const token = tokens[w] as string;
    while (Date.now() - started < DURATION_MS) {
      const pod = `load-${Math.floor(Math.random() * PODS)}`;
      const t0 = performance.now();
      const read = await call(token, 'GET', `${NS}/${pod}`);
      latencies.push(performance.now() - t0);
      count(read.status);
      if (read.status !== 200 || Math.random() < 0.5) continue;
      const baseRv = Number(read.json?.metadata?.resourceVersion);
      const image = `nginx:1.${++sequence}`;
      const t1 = performance.now();
      const patched = await call(
        token,
        'PATCH',
        `${NS}/${pod}`,
        {
          metadata: { resourceVersion: String(baseRv) },
          spec: { containers: [{ name: 'app', image }] },
        },
        'application/strategic-merge-patch+json',
      );
      latencies.push(performance.now() - t1);
      count(patched.status);
      if (patched.status === 200) {
        const answered = patched.json?.spec?.containers?.[0]?.image;
        accepted.push({ pod, image, baseRv, answered });
      } else if (patched.status === 409) refused++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => worker(w)));
  const elapsed = Date.now() - started;
  clearInterval(sampler);
  sampleRss();
  running = false;
  await clock;

  // ── verification ──────────────────────────────────────────────────────────────────────
  const problems: string[] = [];
  const fivexx = [...codes].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  if (fivexx) problems.push(`${fivexx} responses were 5xx`);
  const unexpected = [...codes].filter(([s]) => ![200, 409].includes(s));
  if (unexpected.length) problems.push(`unexpected statuses: ${JSON.stringify(unexpected)}`);
  const hostile5xx = [...hostileCodes].filter(([s]) => s >= 500);
  if (hostile5xx.length)
    problems.push(`hostile requests answered 5xx: ${JSON.stringify(hostile5xx)}`);
  if (hostileWritesAccepted) problems.push(`${hostileWritesAccepted} hostile writes were accepted`);
  for (let i = 0; i < PODS; i++) {
    const pod = `load-${i}`;
    // Each accepted patch was conditioned on the version current when it was written, and
    // versions only grow: two accepted on one base means one overwrote the other unseen.
    const chain = accepted.filter((a) => a.pod === pod).sort((a, b) => a.baseRv - b.baseRv);
    for (let k = 1; k < chain.length; k++) {
      const [prev, next] = [chain[k - 1] as Accepted, chain[k] as Accepted];
      if (next.baseRv === prev.baseRv) {
        problems.push(
          `${pod}: lost update: ${prev.image} and ${next.image} both accepted on ${next.baseRv}`,
        );
      }
    }
    const final = await call(admin, 'GET', `${NS}/${pod}`);
    const image = final.json?.spec?.containers?.[0]?.image;
    const last = chain[chain.length - 1];
    if (last && image !== last.image) {
      problems.push(`${pod}: final image ${image}, but the last accepted patch set ${last.image}`);
    }
  }
  await pool.close();
  const misanswered = accepted.filter((a) => a.answered !== a.image).length;
  if (misanswered) problems.push(`${misanswered} PATCH answers showed another write's image`);

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const warm = samples[Math.min(5, samples.length - 1)] ?? 0;
  const end = samples[samples.length - 1] ?? 0;
  const peak = Math.max(...samples);
  if (peak > MAX_RSS_MB) problems.push(`workerd RSS reached ${peak.toFixed(0)} MiB`);
  const total = latencies.length;
  const figures = {
    connections: CONNECTIONS,
    seconds: elapsed / 1000,
    requests: total,
    requestsPerSecond: Math.round(total / (elapsed / 1000)),
    statuses: Object.fromEntries([...codes].sort(([a], [b]) => a - b)),
    hostileStatuses: Object.fromEntries([...hostileCodes].sort(([a], [b]) => a - b)),
    patchesApplied: accepted.length,
    patchesRefused409: refused,
    latencyMs: { p50: +pct(0.5).toFixed(1), p99: +pct(0.99).toFixed(1), max: +pct(1).toFixed(1) },
    runtimesRssMiB: {
      start: +(samples[0] ?? 0).toFixed(0),
      afterWarmup: +warm.toFixed(0),
      peak: +peak.toFixed(0),
      end: +end.toFixed(0),
    },
  };
  console.log(JSON.stringify(figures, null, 2));
  if (process.env.LOAD_RSS_TRACE) console.log(perProcess.join('\n'));
  if (problems.length) {
    console.error(`load test FAILED:\n- ${problems.join('\n- ')}`);
    process.exitCode = 1;
  } else console.log(`load test passed: no 5xx, no lost update, RSS under ${MAX_RSS_MB} MiB`);
}

type HostileRequest = [method: string, path: string, body?: string, type?: string];

/** Every HOSTILE_EVERY-th connection is a hostile caller (`LOAD_HOSTILE_EVERY=0`: none). */
const HOSTILE_EVERY = Number(process.env.LOAD_HOSTILE_EVERY ?? 5);

/**
 * Requests built to cost more than their size (issue 17): the writes must be refused with a 4xx,
 * the reads (quadratic-in-V8 selectors) only answered cheaply; none may be a 5xx.
 */
const HOSTILE: HostileRequest[] = (() => {
  const doubling = [{ op: 'add', path: '/metadata/annotations', value: { s: 'x'.repeat(200) } }];
  for (let i = 0; i < 30; i++) {
    doubling.push({
      op: 'copy',
      from: '/metadata/annotations',
      path: `/metadata/annotations/c${i}`,
    } as never);
  }
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const quantity = JSON.stringify({
    metadata: { name: 'hostile' },
    spec: {
      containers: [
        { name: 'a', image: 'nginx', resources: { limits: { cpu: `${'1'.repeat(200_000)}x` } } },
      ],
    },
  });
  const setOrder = JSON.stringify({
    spec: {
      containers: [
        {
          name: 'app',
          '$setElementOrder/env': Array.from({ length: 20_000 }, (_, i) => ({ name: `V${i}` })),
          env: [{ name: 'V1', value: 'x' }],
          image: '',
        },
      ],
    },
  });
  return [
    ['PATCH', `${NS}/load-0?dryRun=All`, JSON.stringify(doubling), 'application/json-patch+json'],
    ['DELETE', `${NS}/load-1?dryRun=All`, deep, 'text/plain'],
    ['PATCH', `${NS}/load-2?dryRun=All&fieldManager=x`, deep, 'application/apply-patch+yaml'],
    ['POST', `${NS}?dryRun=All`, quantity, 'application/json'],
    ['PATCH', `${NS}/load-3?dryRun=All`, setOrder, 'application/strategic-merge-patch+json'],
    ['DELETE', `${NS}/load-4?dryRun=All`, '{"gracePeriodSeconds":"30"}', 'application/json'],
    ['GET', `${NS}?labelSelector=${'a'.repeat(100)}=${'='.repeat(5_000)}`],
    ['GET', `${NS}?fieldSelector=metadata.name=${'='.repeat(5_000)}`],
  ];
})();

interface PodLike {
  metadata?: { resourceVersion?: string };
  spec?: { containers?: { image?: string }[] };
}

await main();
