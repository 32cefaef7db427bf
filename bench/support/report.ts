/** The printed (Markdown) report: the same tables go into the README's "Benchmarks" section. */
import type { LoadResult } from './load.ts';
import { type JdResults, renderJdSections } from './report-jd.ts';

interface Row {
  latency: LoadResult;
  throughput?: LoadResult;
}

export interface Results extends JdResults {
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    date: string;
  };
  durationS: number;
  bundle: {
    minifiedKiB: number;
    gzipKiB: number;
    startupActiveMs: number[];
    startupMedianMs: number;
  };
  jdCalls: Record<string, { calls: number; detail: string }>;
  overhead: Record<string, Record<string, Row>>;
  scaling: Record<string, Record<string, LoadResult>>;
  cpu: Record<string, { cpuUs: number; requests: number }>;
  /** The pass-through floor Worker's CPU per request, measured the same way. */
  floorCpu?: Record<string, { cpuUs: number; requests: number }>;
  patch?: { available: boolean; reason?: string };
}

const f = (n: number | undefined, digits = 2) => (n === undefined ? '—' : n.toFixed(digits));
const ok = (met: boolean) => (met ? 'met' : '**missed**');

const OPERATIONS: Record<string, string> = {
  get: 'GET pod',
  list100: 'LIST 100 pods',
  patchImage: 'PATCH image (accepted)',
};
const VIA: Record<string, string> = {
  podgate: 'podgate',
  direct: 'JD direct (signed)',
  floor: 'pass-through Worker (floor)',
  sdk: 'jdcloud-sdk-js peer',
};

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function renderReport(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.date} (run took ${r.durationS} s)`,
    '',
  );

  const rows: (string | number)[][] = [];
  const plus = (ms: number) => `${ms >= 0 ? '+' : ''}${f(ms)} ms`;
  for (const [op, vias] of Object.entries(r.overhead)) {
    const direct = vias.direct;
    const floor = vias.floor;
    for (const [via, row] of Object.entries(vias)) {
      const rel =
        via === 'direct' || !direct
          ? ['', '', '']
          : [
              plus(row.latency.p50Ms - direct.latency.p50Ms),
              via === 'podgate' && floor ? plus(row.latency.p50Ms - floor.latency.p50Ms) : '',
              row.throughput && direct.throughput
                ? `${Math.round((100 * row.throughput.rps) / direct.throughput.rps)} %`
                : '',
            ];
      const errors = row.latency.errors + (row.throughput?.errors ?? 0);
      rows.push([
        OPERATIONS[op] ?? op,
        VIA[via] ?? via,
        f(row.latency.p50Ms),
        f(row.latency.p99Ms),
        row.throughput ? Math.round(row.throughput.rps) : '—',
        ...rel,
        errors ? `${errors} errors` : '',
      ]);
    }
  }
  out.push(
    '**Latency (1 connection) and throughput (8 keep-alive connections)**',
    '',
    table(
      [
        'operation',
        'via',
        'p50 ms',
        'p99 ms',
        'req/s',
        'p50 added vs direct',
        'p50 added vs floor',
        'req/s vs direct',
        '',
      ],
      rows,
    ),
    '',
  );

  const peer = (op: string) => {
    const pg = r.overhead[op]?.podgate;
    const sdk = r.overhead[op]?.sdk;
    if (!pg || !sdk || !pg.throughput || !sdk.throughput) return undefined;
    return {
      latency: sdk.latency.p50Ms / pg.latency.p50Ms,
      throughput: pg.throughput.rps / sdk.throughput.rps,
    };
  };
  out.push(
    '**podgate vs the jdcloud-sdk-js peer** (>1 means podgate is better)',
    '',
    table(
      ['operation', 'p50 ratio (peer / podgate)', 'req/s ratio (podgate / peer)'],
      ['get', 'list100'].map((op) => {
        const p = peer(op);
        return [OPERATIONS[op] ?? op, f(p?.latency), f(p?.throughput)];
      }),
    ),
    '',
  );

  out.push(
    '**Scaling: LIST of N pods** (1 connection)',
    '',
    table(
      ['N', 'podgate p50 / p99 ms', 'JD direct p50 / p99 ms', 'JD calls per podgate LIST'],
      Object.entries(r.scaling).map(([n, v]) => [
        n,
        `${f(v.podgate?.p50Ms)} / ${f(v.podgate?.p99Ms)}`,
        `${f(v.direct?.p50Ms)} / ${f(v.direct?.p99Ms)}`,
        r.jdCalls[`list${n}`]?.calls ?? '—',
      ]),
    ),
    '',
  );

  out.push(
    "**JD calls per user operation** (emulator call log: a read made once the stored state is older than the 2 s freshness, counted for 0.8 s; a write counted for 3 s, its journal's first poll and any sync of its namespace in that time included)",
    '',
    table(
      ['operation', 'JD calls', 'which'],
      Object.entries(r.jdCalls).map(([op, c]) => [op, c.calls, c.detail]),
    ),
    '',
  );

  out.push(
    "**CPU per request** (each Worker's own workerd process, idle removed: the isolate plus workerd's HTTP, Durable Object and SQLite work; the floor is measured the same way)",
    '',
    table(
      ['request', 'podgate CPU µs', 'floor CPU µs', "podgate's own (minus floor) µs", 'requests'],
      Object.entries(r.cpu).map(([op, c]) => {
        const floorUs = r.floorCpu?.[op]?.cpuUs;
        return [
          op,
          Math.round(c.cpuUs),
          floorUs === undefined ? '—' : Math.round(floorUs),
          floorUs === undefined ? '—' : Math.round(c.cpuUs - floorUs),
          c.requests,
        ];
      }),
    ),
    '',
    `**Bundle**: ${f(r.bundle.minifiedKiB, 1)} KiB minified, ${f(r.bundle.gzipKiB, 1)} KiB gzip. ` +
      `**Start-up CPU** (wrangler check startup, active): median ${f(r.bundle.startupMedianMs, 1)} ms of ` +
      `${r.bundle.startupActiveMs.map((x) => f(x, 1)).join(', ')} ms.`,
    '',
  );

  const get = r.overhead.get;
  const added = (op: string) => {
    const v = r.overhead[op];
    return v?.podgate && v.direct ? v.podgate.latency.p50Ms - v.direct.latency.p50Ms : undefined;
  };
  const share = (op: string) => {
    const v = r.overhead[op];
    return v?.podgate?.throughput && v.direct?.throughput
      ? v.podgate.throughput.rps / v.direct.throughput.rps
      : undefined;
  };
  const maxCpu = Math.max(...Object.values(r.cpu).map((c) => c.cpuUs));
  const targets: [string, string, boolean][] = [];
  for (const op of Object.keys(r.overhead)) {
    const a = added(op);
    const s = share(op);
    if (a !== undefined)
      targets.push([`${OPERATIONS[op] ?? op}: added p50 ≤ 1 ms`, `${f(a)} ms`, a <= 1]);
    if (s !== undefined)
      targets.push([
        `${OPERATIONS[op] ?? op}: req/s ≥ 80 % of direct`,
        `${Math.round(s * 100)} %`,
        s >= 0.8,
      ]);
  }
  for (const op of ['get', 'list100']) {
    const p = peer(op);
    if (p)
      targets.push([
        `${OPERATIONS[op]}: beats the SDK peer (p50 and req/s)`,
        `${f(p.latency)}× / ${f(p.throughput)}×`,
        p.latency > 1 && p.throughput > 1,
      ]);
  }
  targets.push(
    ['bundle ≤ 150 KiB gzip', `${f(r.bundle.gzipKiB, 1)} KiB`, r.bundle.gzipKiB <= 150],
    [
      'start-up CPU ≤ 25 ms',
      `${f(r.bundle.startupMedianMs, 1)} ms`,
      r.bundle.startupMedianMs <= 25,
    ],
    ['CPU per request ≤ 1 ms', `${Math.round(maxCpu)} µs (max)`, maxCpu <= 1000],
    ['GET = 1 JD call', String(r.jdCalls.get?.calls), r.jdCalls.get?.calls === 1],
  );
  for (const n of [10, 100, 1000]) {
    const c = r.jdCalls[`list${n}`]?.calls;
    targets.push([
      `LIST ${n} = ${Math.ceil(n / 100)} JD calls`,
      String(c),
      c === Math.ceil(n / 100),
    ]);
  }
  out.push(
    '**Targets**',
    '',
    table(
      ['target', 'measured', ''],
      targets.map(([t, v, m]) => [t, v, ok(m)]),
    ),
    '',
  );
  if (r.patch && !r.patch.available) out.push(`PATCH rows skipped: ${r.patch.reason}`, '');
  void get;
  out.push(renderJdSections(r));
  return `${out.join('\n')}\n`;
}
