/**
 * When a failed JD Cloud call may be repeated, and how long to wait first.
 * Only calls that are safe to repeat (reads, and createPods which always carries a clientToken)
 * are ever retried; a non-idempotent write surfaces its first failure to the caller.
 */
import { JdCloudError, type JdCloudFailure } from './errors';

/** Exponential backoff with full jitter inside a total time budget. */
export interface RetryPolicy {
  /** Total time from the first attempt after which no new attempt starts. */
  budgetMs: number;
  /** The first backoff ceiling; it doubles per attempt. */
  baseMs: number;
  /** The largest backoff ceiling. */
  maxDelayMs: number;
  /** Attempts including the first. */
  maxAttempts: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  budgetMs: 20_000,
  baseMs: 200,
  maxDelayMs: 5_000,
  maxAttempts: 4,
};

const TRANSIENT_HTTP = new Set([429, 500, 502, 503, 504]);

/**
 * Whether a failure is transient: 429/500/502/503/504, network errors and timeouts.
 * A 429 `QUOTA_EXCEEDED` is not: the quota does not free itself within a retry budget.
 */
export function isTransient(error: JdCloudFailure): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  if (error.kind !== 'api') return false;
  return TRANSIENT_HTTP.has(error.httpCode) && error.status !== 'QUOTA_EXCEEDED';
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1): uniform in
 * [0, min(maxDelayMs, baseMs·2^(attempt-1))), raised to a 429's `Retry-After`.
 */
export function backoffMs(
  policy: RetryPolicy,
  attempt: number,
  error: JdCloudFailure,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  if (error instanceof JdCloudError && error.retryAfterSeconds !== undefined) {
    return Math.max(jittered, error.retryAfterSeconds * 1000);
  }
  return jittered;
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date relative to `nowMs`. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
