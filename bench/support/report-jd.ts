/** The JD profile and readers tables of the printed report, with the targets. */
import type { ProfileRow } from './jd-profile.ts';
import type { ReadersResult } from './readers.ts';

export interface JdResults {
  jdProfile?: Record<string, Record<string, Record<string, ProfileRow>>>;
  readers?: ReadersResult;
}

const f = (n: number | undefined, digits = 2) => (n === undefined ? '—' : n.toFixed(digits));
const ok = (met: boolean) => (met ? 'met' : '**missed**');
const ROWS: Record<string, string> = { get: 'GET pod', list100: 'LIST 100', list1000: 'LIST 1000' };

function table(head: string[], rows: (string | number)[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function renderJdSections(r: JdResults): string {
  const out: string[] = [];
  const targets: [string, string, boolean][] = [];
  if (r.jdProfile) {
    const rows: (string | number)[][] = [];
    for (const [ms, byRow] of Object.entries(r.jdProfile)) {
      for (const [row, vias] of Object.entries(byRow)) {
        for (const [via, m] of Object.entries(vias)) {
          rows.push([ms, ROWS[row] ?? row, via, f(m.p50Ms), f(m.p99Ms), m.requests, m.errors]);
        }
      }
    }
    out.push(
      '**JD profile** (1 connection, JD rate limit on; each row from a fresh rate-limit window)',
      '',
      table(['jdLatencyMs', 'operation', 'via', 'p50 ms', 'p99 ms', 'requests', 'errors'], rows),
      '',
    );
    const at = (ms: string, row: string, via: string) => r.jdProfile?.[ms]?.[row]?.[via]?.p50Ms;
    for (const row of ['get', 'list100']) {
      const podgate = at('50', row, 'podgate');
      const sdk = at('50', row, 'sdk');
      if (podgate !== undefined && sdk !== undefined) {
        targets.push([
          `${ROWS[row]} p50 at 50 ms ≤ 0.2× the SDK peer's`,
          `${f(podgate)} vs ${f(sdk)} ms`,
          podgate <= 0.2 * sdk,
        ]);
      }
    }
    const get0 = at('0', 'get', 'podgate');
    const getSdk0 = at('0', 'get', 'sdk');
    if (get0 !== undefined && getSdk0 !== undefined) {
      targets.push([
        "GET p50 at 0 ms ≤ the SDK peer's",
        `${f(get0)} vs ${f(getSdk0)} ms`,
        get0 <= getSdk0,
      ]);
    }
    const list1000 = at('0', 'list1000', 'podgate');
    if (list1000 !== undefined) {
      targets.push(['LIST 1000 p50 at 0 ms ≤ 40 ms', `${f(list1000)} ms`, list1000 <= 40]);
    }
  }
  const rd = r.readers;
  if (rd) {
    out.push(
      `**Readers** (${rd.connections} connections polling GET and LIST of ${rd.pods} pods for ${rd.seconds} s; jdLatencyMs ${rd.jdLatencyMs}; JD rate limit ${rd.emulatorCallsPerMinute}/min; podgate's budget ${rd.budgetPerMinute}/min)`,
      '',
      table(
        ['via', 'reads/s', 'errors', 'first error'],
        [
          [
            'podgate',
            f(rd.podgateReadsPerSecond, 1),
            rd.podgateErrors,
            rd.podgateFirstError?.slice(0, 80) ?? '',
          ],
          [
            'jdcloud-sdk-js peer',
            f(rd.peerReadsPerSecond, 1),
            rd.peerErrors,
            rd.peerFirstError?.slice(0, 80) ?? '',
          ],
        ],
      ),
      '',
      `podgate's JD calls: ${rd.jdCalls} in the run, at most ${rd.jdCallsPerMinute} in any 60 s.`,
      '',
    );
    targets.push(
      [
        "readers: podgate ≥ 3× the peer's reads/s",
        `${f(rd.podgateReadsPerSecond, 1)} vs ${f(rd.peerReadsPerSecond, 1)}`,
        rd.podgateReadsPerSecond >= 3 * rd.peerReadsPerSecond,
      ],
      ['readers: 0 podgate errors', String(rd.podgateErrors), rd.podgateErrors === 0],
      [
        'readers: JD calls within the budget',
        `${rd.jdCallsPerMinute} ≤ ${rd.budgetPerMinute}`,
        rd.jdCallsPerMinute <= rd.budgetPerMinute,
      ],
    );
  }
  if (targets.length) {
    out.push(
      '**Targets (reads from storage)**',
      '',
      table(
        ['target', 'measured', ''],
        targets.map(([t, v, m]) => [t, v, ok(m)]),
      ),
      '',
    );
  }
  return out.join('\n');
}
