/**
 * Synthetic, deterministic container logs: one line per emulated second of the container's
 * current (or last) run, so a test knows exactly what `getContainerLogs` must return.
 * Lines are computed by index, never materialised, so a pod that "ran" for a week costs nothing.
 */
import { invalidArgument } from './envelope';
import { isoTime } from './pod-view';

/** JD caps the `content` of one getContainerLogs answer at 4KB. */
export const MAX_LOG_BYTES = 4096;

export interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** The run whose output is shown. */
export interface LogSource {
  containerName: string;
  image: string;
  /** Start of the current or last run (emulator ms); no run yet = no logs. */
  startedAt?: number;
  /** End of the last run, if the container is not running. */
  finishedAt?: number;
}

/** Line `k` (0-based) of a run: `<ISO time> <image> <container>: line <k+1>`. */
export function logLine(source: LogSource & { startedAt: number }, k: number): string {
  return `${isoTime(source.startedAt + k * 1000)} ${source.image} ${source.containerName}: line ${k + 1}\n`;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number) {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArgument(name, `must be an integer in [${min},${max}]`);
  }
  return n;
}

/** Reads `tailLines`, `sinceSeconds` and `limitBytes` ([1,4096]) from a query string. */
export function parseLogOptions(query: URLSearchParams): LogOptions {
  return {
    tailLines: intParam(query, 'tailLines', 0, Number.MAX_SAFE_INTEGER),
    sinceSeconds: intParam(query, 'sinceSeconds', 1, Number.MAX_SAFE_INTEGER),
    limitBytes: intParam(query, 'limitBytes', 1, MAX_LOG_BYTES),
  };
}

/**
 * The log content at `now`: the lines written so far, from the run's start (or the last
 * `sinceSeconds`), keeping the last `tailLines`, then cut to `limitBytes` (at most 4KB).
 */
export function containerLogs(source: LogSource, options: LogOptions, now: number): string {
  if (source.startedAt === undefined) return '';
  const run = { ...source, startedAt: source.startedAt };
  const end = Math.min(source.finishedAt ?? now, now);
  const written = Math.max(0, Math.floor((end - run.startedAt) / 1000) + 1);
  let first = 0;
  if (options.sinceSeconds !== undefined) {
    first = Math.max(first, Math.ceil((now - options.sinceSeconds * 1000 - run.startedAt) / 1000));
  }
  if (options.tailLines !== undefined) first = Math.max(first, written - options.tailLines);
  const budget = Math.min(options.limitBytes ?? MAX_LOG_BYTES, MAX_LOG_BYTES);
  const encoder = new TextEncoder();
  let content = '';
  let bytes = 0;
  for (let k = first; k < written && bytes < budget; k++) {
    const line = logLine(run, k);
    content += line;
    bytes += encoder.encode(line).length;
  }
  if (bytes <= budget) return content;
  return new TextDecoder().decode(encoder.encode(content).slice(0, budget)).replace(/\uFFFD$/, '');
}
