/**
 * Memory soak: the gateway's minified bundle and the JD Cloud emulator each run in their own
 * Miniflare (two workerd processes, no `wrangler dev` proxy), the gateway reaching the emulator
 * over loopback HTTP as it reaches JD Cloud. 20 connections of reads and image patches run for
 * SOAK_SECONDS. Every CHECKPOINT_SECONDS the script collects garbage, through the inspector
 * (test/support/inspector.ts), in podgate's isolate and in the two Miniflare workers of the
 * gateway's process that requests pass through (entry; outbound, for the calls to JD Cloud),
 * then reads podgate's JS heap and the RSS of the gateway's own workerd process.
 *
 * Passes when
 *   - every answer is 200 or 409 (no 5xx);
 *   - podgate's heap after GC stays flat: the mean of the last three checkpoints exceeds the
 *     mean of the three from a quarter of the run by at most SOAK_MAX_HEAP_GROWTH_MB (4 MiB);
 *   - the gateway process's RSS (after those collections) grows over the second half, by the
 *     same means, by at most 8 MiB + 512 bytes per request served in it (see RSS_SLACK_MB);
 *   - the namespace object keeps at most EVENT_HISTORY watch events while the run commits more.
 * README (Reliability) gives the measurements behind these limits.
 *
 *   npm run test:soak                      # 20 connections × 60 s
 *   SOAK_SECONDS=300 npm run test:soak
 *   SOAK_SNAPSHOTS=.wrangler/soak-snapshots npm run test:soak   # heap snapshots at ¼ and end,
 *   node test/load/soak-heapdiff.ts .wrangler/soak-snapshots/{quarter,end}.heapsnapshot
 */
import { mkdirSync } from 'node:fs';
import { Pool } from 'undici';
import { EVENT_HISTORY } from '../../src/store/schema.ts';
import { buildEmulator, bundleWorker } from '../support/build-emulator.ts';
import {
  connectInspector,
  heapAfterGc,
  type Inspector,
  takeHeapSnapshot,
} from '../support/inspector.ts';
import {
  emulatorWorker,
  gatewayWorker,
  type StartedWorker,
  startWorker,
} from '../support/miniflare-workers.ts';
import { workerdChildren } from '../support/workerd-processes.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = 20;
/** Often enough that garbage never piles up for long (see README). */
const CHECKPOINT_SECONDS = 2.5;
const MAX_HEAP_GROWTH_MB = Number(process.env.SOAK_MAX_HEAP_GROWTH_MB ?? 4);
/**
 * The gateway process's RSS may grow over the second half by this much (allocator noise) plus
 * RSS_BYTES_PER_REQUEST for each request served in it: workerd keeps ~250 bytes for every timer
 * a Durable Object sets and clears, and podgate arms one per JD Cloud call (README; reproduced by
 * test/load/soak-timers.ts). Twice that leaves room for the mix, not for a leak of its own.
 */
const RSS_SLACK_MB = 8;
const RSS_BYTES_PER_REQUEST = 512;
const SNAPSHOTS = process.env.SOAK_SNAPSHOTS;
const PODS = 10;
const NS = '/api/v1/namespaces/default/pods';
const H = { authorization: 'Bearer podgate-dev-admin', 'content-type': 'application/json' };
const MiB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

/** The resident memory (MiB) of workerd process `pid`. */
const rssMb = (pid: number) =>
  (workerdChildren()
    .find((p) => p.pid === pid)
    ?.kib('VmRSS') ?? 0) / 1024;

interface Checkpoint {
  s: number;
  requests: number;
  /** podgate's isolate after GC: live JS objects, and the heap V8 holds for them. */
  heapMiB: number;
  heapTotalMiB: number;
  gatewayRssMiB: number;
  /** The emulator's process, whose isolates are left to V8's own GC schedule. */
  emulatorRssMiB: number;
}

const emulator = await startWorker(emulatorWorker(buildEmulator(), 3_600_000));
let gateway: StartedWorker | undefined;
const sessions: Inspector[] = [];
try {
  gateway = await startWorker({
    ...gatewayWorker(bundleWorker('soak-gateway', ['--minify']), emulator.origin, {
      PODGATE_POLL_MS: '500',
      PODGATE_RATE_LIMIT_PER_MINUTE: '1000000',
    }),
    // No rate-limit binding: podgate falls back to its per-isolate window, raised above.
    inspectorPort: 0,
  });
  const inspectorPort = Number((await gateway.mf.getInspectorURL()).port);
  // podgate (the Worker and its Durable Object share one isolate), then Miniflare's entry worker
  // (every request) and outbound worker (every call to JD Cloud).
  for (const id of ['core:user:podgate', 'core:entry', 'outbound:0']) {
    sessions.push(await connectInspector(inspectorPort, id));
  }
  await soak(gateway, emulator);
} finally {
  for (const session of sessions) session.close();
  await gateway?.mf.dispose();
  await emulator.mf.dispose();
}

async function soak(gatewayRun: StartedWorker, emulatorRun: StartedWorker): Promise<void> {
  const [gateway, emulator] = [gatewayRun.origin, emulatorRun.origin];
  const advance = (ms: number) =>
    fetch(`${emulator}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: ms }),
    }).then((res) => res.body?.cancel());
  const pool = new Pool(gateway, { connections: CONNECTIONS });
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await pool.request({
      method: method as 'GET',
      path,
      headers: { ...H, 'content-type': type },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.statusCode, text: await res.body.text() };
  };
  const currentRv = async () => {
    const list = JSON.parse((await call('GET', NS)).text) as {
      metadata: { resourceVersion: string };
    };
    return Number(list.metadata.resourceVersion);
  };

  for (let i = 0; i < PODS; i++) {
    const res = await call('POST', NS, {
      metadata: { name: `soak-${i}` },
      spec: { containers: [{ name: 'app', image: 'nginx:1.0' }] },
    });
    if (res.status !== 201) throw new Error(`create soak-${i}: ${res.status} ${res.text}`);
  }
  await advance(3_600_000);
  const firstRv = await currentRv();

  const [podgate] = sessions as [Inspector];
  const checkpoints: Checkpoint[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;
  let sequence = 0;
  const started = Date.now();
  const checkpoint = async () => {
    // workerd runs a requested collection when the isolate is next entered; a read enters all
    // three (gateway, entry, outbound).
    const poke = () => call('GET', `${NS}/soak-0`);
    const heap = await heapAfterGc(podgate, poke);
    for (const session of sessions.slice(1)) await heapAfterGc(session, poke);
    const rss = { gateway: rssMb(gatewayRun.pid), emulator: rssMb(emulatorRun.pid) };
    const point = {
      s: Math.round((Date.now() - started) / 1000),
      requests,
      heapMiB: round(heap.usedSize / MiB),
      heapTotalMiB: round(heap.totalSize / MiB),
      gatewayRssMiB: Math.round(rss.gateway),
      emulatorRssMiB: Math.round(rss.emulator),
    };
    checkpoints.push(point);
    console.log(JSON.stringify(point));
  };
  if (SNAPSHOTS) mkdirSync(SNAPSHOTS, { recursive: true });
  const snapshot = (name: string) =>
    SNAPSHOTS ? takeHeapSnapshot(podgate, `${SNAPSHOTS}/${name}.heapsnapshot`) : undefined;

  await checkpoint();
  const count = Math.max(4, Math.round(SECONDS / CHECKPOINT_SECONDS));
  // One after another, never two at once (a collection under load can take a while).
  const sampling = (async () => {
    for (let k = 1; k < count; k++) {
      const wait = started + (k * SECONDS * 1000) / count - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await checkpoint();
      if (k === Math.round(count / 4)) await snapshot('quarter');
    }
  })();
  // The emulator's clock moves only when told: keep the rollouts' JD transitions going.
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
  await sampling;
  clearInterval(clock);
  await checkpoint();
  await snapshot('end');

  // The namespace object keeps EVENT_HISTORY watch events: a watch from before them is told 410
  // and where the history starts; from there it replays what is kept.
  const lastRv = await currentRv();
  const expired = await call('GET', `${NS}?watch=true&resourceVersion=${firstRv}&timeoutSeconds=1`);
  const oldest = Number(/too old resource version: \d+ \((\d+)\)/.exec(expired.text)?.[1]);
  const replay = await call('GET', `${NS}?watch=true&resourceVersion=${oldest}&timeoutSeconds=1`);
  const history = {
    committed: lastRv - firstRv,
    kept: lastRv - oldest,
    replayed: replay.text.split('\n').filter(Boolean).length,
    // A rollout step may still commit while the replay runs: its events come on top.
    since: (await currentRv()) - lastRv,
  };
  await pool.close();

  /** Mean of `field` over the three checkpoints from the one at `fraction` of the run. */
  const from = (fraction: number, field: 'heapMiB' | 'gatewayRssMiB') => {
    const i = Math.min(
      checkpoints.findIndex((c) => c.s >= fraction * SECONDS),
      checkpoints.length - 3,
    );
    const three = checkpoints.slice(i, i + 3);
    return round(three.reduce((n, c) => n + c[field], 0) / three.length);
  };
  const heap = { quarter: from(0.25, 'heapMiB'), end: from(1, 'heapMiB') };
  const rss = { half: from(0.5, 'gatewayRssMiB'), end: from(1, 'gatewayRssMiB') };
  const halfway = checkpoints.find((c) => c.s >= 0.5 * SECONDS) ?? (checkpoints[0] as Checkpoint);
  const maxRssGrowth = round(
    RSS_SLACK_MB + ((requests - halfway.requests) * RSS_BYTES_PER_REQUEST) / MiB,
  );
  const heapGrowth = round(heap.end - heap.quarter);
  const rssGrowth = round(rss.end - rss.half);
  const other = [...statuses].filter(([s]) => s !== 200 && s !== 409);
  const fivexx = other.filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  console.log(
    JSON.stringify({
      seconds: SECONDS,
      requests,
      statuses: Object.fromEntries(statuses),
      heapAfterGcMiB: heap,
      gatewayRssMiB: rss,
      watchHistory: history,
    }),
  );

  const problems: string[] = [];
  if (fivexx) problems.push(`${fivexx} answers were 5xx`);
  if (other.length) problems.push(`unexpected statuses: ${JSON.stringify(other)}`);
  if (heapGrowth > MAX_HEAP_GROWTH_MB) {
    problems.push(
      `heap after GC grew ${heapGrowth} MiB from a quarter of the run to the end (limit ${MAX_HEAP_GROWTH_MB})`,
    );
  }
  if (rssGrowth > maxRssGrowth) {
    problems.push(`gateway RSS grew ${rssGrowth} MiB over the second half (limit ${maxRssGrowth})`);
  }
  if (!(history.kept <= EVENT_HISTORY && history.replayed <= EVENT_HISTORY + history.since)) {
    problems.push(`watch history not bounded: ${JSON.stringify(history)}`);
  }
  if (history.committed <= EVENT_HISTORY) {
    problems.push(`only ${history.committed} commits: the history bound was not exercised`);
  }
  if (problems.length) {
    console.error(`soak FAILED:\n- ${problems.join('\n- ')}`);
    process.exitCode = 1;
  } else {
    console.log(
      `soak passed: ${requests} requests in ${SECONDS} s, no 5xx; heap after GC ${heap.quarter} → ${heap.end} MiB (limit +${MAX_HEAP_GROWTH_MB}); gateway RSS ${rss.half} → ${rss.end} MiB over the second half (limit +${maxRssGrowth}); ${history.kept} of ${history.committed} watch events kept`,
    );
  }
}
