import { describe, expect, it } from 'vitest';
import { CallRateLimiter, maxInWindow, RATE_WINDOW_MS } from './rate-limit';

describe('CallRateLimiter', () => {
  it('admits `limit` calls per key in a sliding minute, then refuses until the oldest leaves', () => {
    const limiter = new CallRateLimiter();
    expect(limiter.admit('ak', 1000, 2)).toEqual({ admitted: true });
    expect(limiter.admit('ak', 21_000, 2)).toEqual({ admitted: true });
    expect(limiter.admit('ak', 30_000, 2)).toEqual({ admitted: false, retryAfterMs: 31_000 });
    expect(limiter.admit('other', 30_000, 2)).toEqual({ admitted: true });
    // Refusals are not counted: the first call leaves the window at 61 s.
    expect(limiter.admit('ak', 1000 + RATE_WINDOW_MS - 1, 2).admitted).toBe(false);
    expect(limiter.admit('ak', 1000 + RATE_WINDOW_MS, 2)).toEqual({ admitted: true });
  });

  it('is off at 0, and forgets everything on reset', () => {
    const limiter = new CallRateLimiter();
    for (let i = 0; i < 5; i++) expect(limiter.admit('ak', 0, 0).admitted).toBe(true);
    limiter.admit('ak', 0, 1);
    expect(limiter.admit('ak', 0, 1).admitted).toBe(false);
    limiter.reset();
    expect(limiter.admit('ak', 0, 1).admitted).toBe(true);
  });
});

describe('maxInWindow', () => {
  it('counts the busiest window, half-open at its end', () => {
    expect(maxInWindow([], 60_000)).toBe(0);
    expect(maxInWindow([0, 10, 59_999, 60_000, 60_001], 60_000)).toBe(4);
    expect(maxInWindow([0, 60_000], 60_000)).toBe(1);
    expect(maxInWindow([0, 100_000, 100_001], 60_000)).toBe(2);
  });
});
