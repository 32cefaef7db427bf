/**
 * The JD profile: the latency rows (1 connection) again with JD Cloud's rate limit on, at
 * `jdLatencyMs` 0 and 50 (the emulator's per-call latency: a JD Cloud tens of ms away, as from
 * an edge location). Each row starts with JD's rate-limit window fresh (the emulator clock
 * moves a minute), so a row measures latency, not the row before it.
 */
import type { EmulatorControl } from './emulator.ts';
import type { LoadResult, Shot } from './load.ts';

export const JD_PROFILE_LATENCIES = [0, 50] as const;

type Via = 'podgate' | 'direct' | 'floor' | 'sdk';
type ShotOf = () => Shot | Shot[] | Promise<Shot | Shot[]>;
export type ProfileRow = LoadResult & { jdLatencyMs: number };

/** Measures one row at 1 connection within `limits`; provided by the bench (its origins). */
export type MeasureLatency = (
  label: string,
  via: Via,
  shot: ShotOf,
  limits: { concurrency: number; maxRequests: number; maxMs: number },
) => Promise<LoadResult>;

export async function jdProfile(
  control: EmulatorControl,
  measure: MeasureLatency,
  rows: Record<string, { vias: Partial<Record<Via, ShotOf>>; maxRequests: number; maxMs: number }>,
  emulatorCallsPerMinute = 1000,
): Promise<Record<string, Record<string, Record<string, ProfileRow>>>> {
  const out: Record<string, Record<string, Record<string, ProfileRow>>> = {};
  try {
    for (const jdLatencyMs of JD_PROFILE_LATENCIES) {
      await control.settings({ callsPerMinute: emulatorCallsPerMinute, latencyMs: jdLatencyMs });
      const byRow: Record<string, Record<string, ProfileRow>> = {};
      for (const [row, { vias, maxRequests, maxMs }] of Object.entries(rows)) {
        byRow[row] = {};
        for (const [via, shot] of Object.entries(vias) as [Via, ShotOf][]) {
          await control.advance(60_000);
          const result = await measure(`${row} at ${jdLatencyMs} ms`, via, shot, {
            concurrency: 1,
            maxRequests,
            maxMs,
          });
          byRow[row][via] = { ...result, jdLatencyMs };
        }
      }
      out[String(jdLatencyMs)] = byRow;
    }
  } finally {
    await control.settings({ callsPerMinute: 0, latencyMs: 0 });
  }
  return out;
}
