/**
 * A bounded load client: undici `Pool` with keep-alive, a fixed number of concurrent
 * requests, and a stop at whichever comes first of `maxRequests` and `maxMs`.
 */
import { Pool } from 'undici';

/** One request to send; headers may be computed per request (JD signatures are). */
export interface Shot {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  origin: string;
  /**
   * Builds operation `i`: one request, or several sent one after another (the pages of a
   * direct listing). Signing happens here, so its time counts as the client's, as it would.
   */
  shot: (i: number) => Shot | Shot[] | Promise<Shot | Shot[]>;
  /** Concurrent requests (each on its own keep-alive connection). */
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  /** The status every response must have. */
  expect: number;
}

export interface LoadResult {
  /** Operations completed (a multi-page listing counts once). */
  requests: number;
  errors: number;
  /** First unexpected answer, for the report. */
  firstError?: string;
  p50Ms: number;
  p99Ms: number;
  rps: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0) : 0;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.origin, {
    connections: options.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let issued = 0;
  const started = performance.now();
  const deadline = started + options.maxMs;
  const worker = async () => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const i = issued++;
      const t0 = performance.now();
      const built = await options.shot(i);
      try {
        for (const shot of Array.isArray(built) ? built : [built]) {
          const res = await pool.request({
            method: shot.method,
            path: shot.path,
            headers: shot.headers,
            ...(shot.body !== undefined ? { body: shot.body } : {}),
          });
          const text = await res.body.text();
          if (res.statusCode !== options.expect) {
            errors++;
            firstError ??= `${res.statusCode} ${text.slice(0, 300)}`;
            break;
          }
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      latencies.push(performance.now() - t0);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await pool.close();
  }
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    rps: latencies.length / (elapsed / 1000),
  };
}
