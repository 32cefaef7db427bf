/**
 * JD Cloud's API rate limit, as the emulator plays it: at most `limit` calls per access key in
 * any sliding 60 s window of the emulator clock (JD documents about 1000 calls per minute, then
 * HTTP 429 `RATE_LIMIT`). Refused calls do not count, so a caller that backs off recovers.
 * In memory: JD's counters are not something a restart should preserve either.
 */

export const RATE_WINDOW_MS = 60_000;

/** Admitted, or refused with how long until the oldest counted call leaves the window. */
export type RateDecision = { admitted: true } | { admitted: false; retryAfterMs: number };

export class CallRateLimiter {
  private readonly admitted = new Map<string, number[]>();

  /** Counts a call of `key` at `now` unless `limit` calls already fall in the window. 0 = off. */
  admit(key: string, now: number, limit: number): RateDecision {
    if (limit <= 0) return { admitted: true };
    const since = now - RATE_WINDOW_MS;
    const times = (this.admitted.get(key) ?? []).filter((t) => t > since && t <= now);
    this.admitted.set(key, times);
    if (times.length >= limit) {
      return { admitted: false, retryAfterMs: (times[0] ?? now) + RATE_WINDOW_MS - now };
    }
    times.push(now);
    return { admitted: true };
  }

  reset(): void {
    this.admitted.clear();
  }
}

/** The most timestamps (ms, ascending) that fall within any window of `windowMs`. */
export function maxInWindow(sortedTimes: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sortedTimes.length; end++) {
    while ((sortedTimes[end] as number) - (sortedTimes[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
