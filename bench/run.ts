/**
 * `npm run bench`: what podgate costs on top of JD Cloud, measured side by side in one run on
 * this machine — podgate vs the same JD calls made directly (signed), vs the same signed calls
 * through the thinnest possible Worker (the floor any gateway Worker pays), vs a jdcloud-sdk-js
 * peer, all against one emulator under local workerd. Prints a table, writes
 * bench/results.json. Every loop is bounded by a count and a time; everything is on 127.0.0.1.
 *
 * `npm run bench -- --quick` (CI, .ci/run) runs every scenario for a moment on fewer pods, so
 * the benchmark cannot rot unnoticed; its figures mean nothing and go to bench/.tmp/ instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBundle } from './support/bundle.ts';
import { cpuPerRequest } from './support/cpu.ts';
import { emulatorControl, summarize } from './support/emulator.ts';
import { gatewayCall, gatewayShot, podManifest, podsPath } from './support/gateway.ts';
import { describePodPath, describePodsPath, jdCall, signedShot } from './support/jd-direct.ts';
import { jdProfile } from './support/jd-profile.ts';
import { type LoadResult, runLoad, type Shot } from './support/load.ts';
import { machine } from './support/machine.ts';
import { patchTargets } from './support/patch.ts';
import { root } from './support/paths.ts';
import { readersScenario } from './support/readers.ts';
import { renderReport } from './support/report.ts';
import { startSdkPeer } from './support/sdk-peer.ts';
import { startBenchStack } from './support/stack.ts';

const QUICK = process.argv.includes('--quick');

/** Namespaces by list size; each in its own region so one listing never scans another's pods. */
const NAMESPACES = {
  default: { regionId: 'cn-north-1', az: 'cn-north-1a', pods: 100 },
  small: { regionId: 'cn-south-1', az: 'cn-south-1a', pods: 10 },
  large: { regionId: 'cn-east-2', az: 'cn-east-2a', pods: QUICK ? 120 : 1000 },
} as const;
type Namespace = keyof typeof NAMESPACES;

const LATENCY = { concurrency: 1, maxRequests: QUICK ? 50 : 400, maxMs: QUICK ? 500 : 4000 };
const THROUGHPUT = { concurrency: 8, maxRequests: QUICK ? 400 : 5000, maxMs: QUICK ? 500 : 5000 };
const WARM_UP = { concurrency: 1, maxRequests: QUICK ? 5 : 30, maxMs: 3000 };
const LIST_LARGE = { concurrency: 1, maxRequests: QUICK ? 5 : 60, maxMs: QUICK ? 1000 : 6000 };
/** Sequential requests per CPU measurement. */
const CPU_REQUESTS = { get: QUICK ? 20 : 300, list: QUICK ? 10 : 100, patch: QUICK ? 20 : 200 };
const benchStarted = Date.now();
/** Progress on stderr, with the seconds since the start (the tables go to stdout). */
const log = (line: string) =>
  process.stderr.write(`[${Math.round((Date.now() - benchStarted) / 1000)} s] ${line}\n`);
/** How long the readers scenario polls (the 30 s by default; 3 s in the quick mode). */
const READERS_SECONDS = Number(process.env.BENCH_READERS_SECONDS ?? (QUICK ? 3 : 30));

const namespaceConfig = Object.fromEntries(
  Object.entries(NAMESPACES).map(([ns, n]) => [
    ns,
    {
      regionId: n.regionId,
      az: n.az,
      subnetId: `subnet-bench0${ns}`,
      securityGroupIds: [`sg-bench0${ns}`],
      instanceType: 'g.n2.medium',
      systemDisk: { diskType: 'ssd.gp1', sizeGB: 20 },
    },
  ]),
);

const podName = (i: number) => `p${String(i).padStart(4, '0')}`;

async function main() {
  const started = Date.now();
  if (QUICK) log('quick mode: every scenario briefly, on fewer pods; the figures mean nothing');
  log('bundle and start-up (wrangler deploy --dry-run --minify, wrangler check startup) …');
  // The readers scenario alone needs the bundle, not the start-up figures.
  const bundle = measureBundle(process.env.BENCH_ONLY === 'readers' ? 0 : QUICK ? 1 : 5);

  log('starting the emulator, the gateway and the pass-through Worker (Miniflare, workerd) …');
  const stack = await startBenchStack({
    transitionMs: 0,
    bundle: bundle.path,
    // The deployed poll and read freshness (2 s): a faster poll would sync every namespace
    // many times a second while it is read, a background load no deployment carries.
    vars: { PODGATE_NAMESPACES: JSON.stringify(namespaceConfig) },
  });
  const emulator = emulatorControl(stack.emulator);
  if (process.env.BENCH_ONLY === 'readers') {
    // The readers scenario alone (a minute or so): printed, results.json left alone.
    try {
      const readers = await readersScenario({
        emulator: stack.emulator,
        control: emulator,
        bundle: bundle.path,
        seconds: READERS_SECONDS,
        jdLatencyMs: Number(process.env.BENCH_JD_LATENCY_MS ?? 0),
      });
      process.stdout.write(`${JSON.stringify({ readers }, null, 2)}\n`);
    } finally {
      await stack.stop();
    }
    return;
  }
  const peer = await startSdkPeer(
    stack.emulator,
    Object.fromEntries(Object.entries(NAMESPACES).map(([ns, n]) => [ns, n.regionId])),
  );
  try {
    for (const n of Object.values(NAMESPACES)) {
      await emulator.quota(n.regionId, 'pod', n.pods + 50);
      await emulator.quota(n.regionId, 'container', (n.pods + 50) * 8);
    }
    await populate(stack.gateway);
    // Each create leaves one poll in its namespace's journal; the alarm works through a
    // thousand of them one by one. Nothing is measured until that backlog is gone.
    log('waiting for the gateway to finish following the new pods …');
    await emulator.quiet(QUICK ? 1000 : 5000, 180_000);
    await emulator.clearCalls();

    const region = NAMESPACES.default.regionId;
    const pods = await jdCall<{ pods: { podId: string; name: string }[] }>(
      stack.emulator,
      region,
      'GET',
      describePodsPath(region, 'default', 1),
    );
    const target = pods.pods.find((p) => p.name === 'pg.default.p0000');
    if (!target) throw new Error('pg.default.p0000 is not on the emulator');

    log('JD calls per user operation …');
    const jdCalls = await measureJdCalls(stack.gateway, emulator);

    /** Every page of a namespace's direct listing (pageSize 100), signed. */
    const pages = (ns: Namespace, through: (shot: Promise<Shot>) => Promise<Shot>) => {
      const { regionId, pods } = NAMESPACES[ns];
      return Promise.all(
        Array.from({ length: Math.max(1, Math.ceil(pods / 100)) }, (_, p) =>
          through(
            signedShot(stack.emulator, regionId, 'GET', describePodsPath(regionId, ns, p + 1)),
          ),
        ),
      );
    };
    /** A signed JD request sent through the pass-through Worker (signed for the emulator). */
    const viaFloor = async (shot: Promise<Shot>): Promise<Shot> => {
      const signed = await shot;
      return { ...signed, headers: { ...signed.headers, host: new URL(stack.emulator).host } };
    };
    const get = {
      podgate: () => gatewayShot('GET', `${podsPath('default')}/p0000`),
      direct: () =>
        signedShot(stack.emulator, region, 'GET', describePodPath(region, target.podId)),
      floor: () =>
        viaFloor(signedShot(stack.emulator, region, 'GET', describePodPath(region, target.podId))),
      sdk: (): Shot => ({ method: 'GET', path: '/namespaces/default/pods/p0000', headers: {} }),
    };
    const list = (ns: Namespace) => ({
      podgate: () => gatewayShot('GET', podsPath(ns)),
      direct: () => pages(ns, (shot) => shot),
      floor: () => pages(ns, viaFloor),
      sdk: (): Shot => ({ method: 'GET', path: `/namespaces/${ns}/pods`, headers: {} }),
    });

    const origins = {
      podgate: stack.gateway,
      direct: stack.emulator,
      floor: stack.floor,
      sdk: peer.origin,
    };
    const measure = async (
      label: string,
      via: keyof typeof origins,
      shot: () => Shot | Shot[] | Promise<Shot | Shot[]>,
      phases = { latency: LATENCY, throughput: THROUGHPUT },
    ) => {
      log(`  ${label} via ${via} …`);
      const base = { origin: origins[via], shot, expect: 200 };
      await runLoad({ ...base, ...WARM_UP });
      const latency = await runLoad({ ...base, ...phases.latency });
      const throughput = phases.throughput
        ? await runLoad({ ...base, ...phases.throughput })
        : undefined;
      await emulator.clearCalls();
      return { latency, throughput };
    };

    log('latency (1 connection) and throughput (8 connections) …');
    type Row = { latency: LoadResult; throughput?: LoadResult };
    const overhead: { get: Record<string, Row>; list100: Record<string, Row> } = {
      get: {},
      list100: {},
    };
    for (const via of ['podgate', 'direct', 'floor', 'sdk'] as const) {
      overhead.get[via] = await measure('GET pod', via, get[via]);
      overhead.list100[via] = await measure('LIST 100 pods', via, list('default')[via]);
    }

    log('patch …');
    const patch = await patchTargets(stack, emulator, measure, CPU_REQUESTS.patch);

    log(`scaling: LIST 10 and ${NAMESPACES.large.pods} …`);
    const scaling: Record<string, Record<string, LoadResult>> = {
      '100': {
        podgate: (overhead.list100.podgate as { latency: LoadResult }).latency,
        direct: (overhead.list100.direct as { latency: LoadResult }).latency,
      },
    };
    for (const [size, ns, limits] of [
      ['10', 'small', LATENCY],
      [String(NAMESPACES.large.pods), 'large', LIST_LARGE],
    ] as const) {
      scaling[size] = {};
      for (const via of ['podgate', 'direct'] as const) {
        scaling[size][via] = (
          await measure(`LIST ${size}`, via, list(ns)[via], {
            latency: limits,
            throughput: undefined as never,
          })
        ).latency;
      }
    }

    log('JD profile: latency at jdLatencyMs 0 and 50, JD rate limit on …');
    const profile = await jdProfile(
      emulator,
      async (label, via, shot, limits) =>
        (await measure(label, via, shot, { latency: limits, throughput: undefined as never }))
          .latency,
      {
        get: { vias: get, maxRequests: 400, maxMs: 4000 },
        list100: { vias: list('default'), maxRequests: 400, maxMs: 4000 },
        list1000: {
          vias: { podgate: list('large').podgate, direct: list('large').direct },
          maxRequests: 60,
          maxMs: 6000,
        },
      },
    );

    log(`readers: 64 connections for ${READERS_SECONDS} s, podgate and the SDK peer …`);
    const readers = await readersScenario({
      emulator: stack.emulator,
      control: emulator,
      bundle: bundle.path,
      seconds: READERS_SECONDS,
      jdLatencyMs: 0,
    });

    log("CPU per request (each Worker's own workerd process) …");
    const call = (origin: string, shot: () => Shot | Promise<Shot | Shot[]>) => async () => {
      const shots = await shot();
      for (const one of Array.isArray(shots) ? shots : [shots]) await gatewayCall(origin, one, 200);
    };
    const cpu: Record<string, Awaited<ReturnType<typeof cpuPerRequest>>> = {
      get: await cpuPerRequest(
        stack.pids.gateway,
        CPU_REQUESTS.get,
        call(stack.gateway, get.podgate),
      ),
      list100: await cpuPerRequest(
        stack.pids.gateway,
        CPU_REQUESTS.list,
        call(stack.gateway, list('default').podgate),
      ),
      ...(await patch.cpu(stack.pids.gateway)),
    };
    const floorCpu: Record<string, Awaited<ReturnType<typeof cpuPerRequest>>> = {
      get: await cpuPerRequest(stack.pids.floor, CPU_REQUESTS.get, call(stack.floor, get.floor)),
      list100: await cpuPerRequest(
        stack.pids.floor,
        CPU_REQUESTS.list,
        call(stack.floor, list('default').floor),
      ),
    };

    const results = {
      ...(QUICK ? { quick: true } : {}),
      machine: machine(),
      durationS: Math.round((Date.now() - started) / 1000),
      settings: { latency: LATENCY, throughput: THROUGHPUT, namespaces: NAMESPACES },
      bundle,
      jdCalls,
      overhead: { ...overhead, ...patch.overhead },
      scaling,
      cpu,
      floorCpu,
      jdProfile: profile,
      readers,
      patch: patch.available ? { available: true } : { available: false, reason: patch.reason },
    };
    const out = QUICK
      ? join(root, 'bench/.tmp/results-quick.json')
      : join(root, 'bench/results.json');
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    if (QUICK)
      process.stdout.write(
        '**Quick mode**: a smoke run; none of these figures means anything.\n\n',
      );
    process.stdout.write(renderReport(results));
    if (QUICK) {
      // Figures are not judged here, but every scenario must have run and been answered.
      const broken = failedScenarios({ ...results.overhead, scaling: results.scaling });
      if (broken.length) throw new Error(`scenarios that failed:\n${broken.join('\n')}`);
      log(`quick run: every scenario answered as expected (${results.durationS} s)`);
    }
  } finally {
    await peer.stop();
    await stack.stop();
  }
}

/** Paths of the load results (nested under `tree`) with no request or with unexpected answers. */
function failedScenarios(tree: object, path: string[] = []): string[] {
  if ('requests' in tree && 'errors' in tree) {
    const r = tree as LoadResult;
    return r.requests === 0 || r.errors > 0
      ? [`${path.join(' ')}: ${r.requests} requests, ${r.errors} errors ${r.firstError ?? ''}`]
      : [];
  }
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? failedScenarios(v, [...path, k]) : [],
  );
}

/** Creates every namespace's pods through podgate, 8 at a time, within two minutes. */
async function populate(gateway: string) {
  const deadline = Date.now() + 120_000;
  for (const [ns, { pods }] of Object.entries(NAMESPACES)) {
    log(`creating ${pods} pods in ${ns} …`);
    let next = 0;
    const worker = async () => {
      while (next < pods) {
        if (Date.now() > deadline) throw new Error('populating took over two minutes');
        const i = next++;
        await gatewayCall(gateway, gatewayShot('POST', podsPath(ns), podManifest(podName(i))), 201);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
}

/** JD calls behind each user operation, from the emulator's call log (alarms' polls included). */
/** The gateway's read freshness here: the deployed default, the poll interval. */
const FRESHNESS_MS = 2000;

async function measureJdCalls(gateway: string, emulator: ReturnType<typeof emulatorControl>) {
  /**
   * Calls in the operation's own region (other namespaces' background syncs are not its cost),
   * made by the request and what it journals. A read is made once the namespace's stored state
   * is older than the read freshness (2 s), so it costs its refresh; a write's follow-ups are
   * counted for `windowMs` (the journal's first poll comes 2 s later; the namespace's own sync,
   * every 2 s while it is in use, may fall in that window too).
   */
  const count = async (
    operation: () => Promise<unknown>,
    ns: Namespace = 'default',
    windowMs = 800,
  ) => {
    await new Promise((resolve) => setTimeout(resolve, FRESHNESS_MS + 100));
    await emulator.clearCalls();
    await operation();
    const calls = (await emulator.quiet(windowMs, windowMs)).filter(
      (c) => c.regionId === NAMESPACES[ns].regionId,
    );
    return { calls: calls.length, detail: summarize(calls) };
  };
  const ok =
    (shot: Shot, expect = 200) =>
    () =>
      gatewayCall(gateway, shot, expect);
  return {
    get: await count(ok(gatewayShot('GET', `${podsPath('default')}/p0000`))),
    list10: await count(ok(gatewayShot('GET', podsPath('small'))), 'small'),
    list100: await count(ok(gatewayShot('GET', podsPath('default')))),
    list1000: await count(ok(gatewayShot('GET', podsPath('large'))), 'large'),
    create: await count(
      ok(gatewayShot('POST', podsPath('default'), podManifest('probe')), 201),
      'default',
      FRESHNESS_MS + 1000,
    ),
    delete: await count(
      ok(gatewayShot('DELETE', `${podsPath('default')}/probe`)),
      'default',
      FRESHNESS_MS + 1000,
    ),
  };
}

await main();
