import { describe, expect, it } from 'vitest';
import { alarmAt, backoff } from './operations';

describe('alarmAt', () => {
  const now = 1_700_000_000_000;

  it('clears the alarm when no step is journaled', () => {
    expect(alarmAt(null, now)).toBeNull();
    expect(alarmAt(undefined, now)).toBeNull();
  });

  it('fires at the earliest step when it lies ahead', () => {
    expect(alarmAt(now + 250, now)).toBe(now + 250);
  });

  it('never re-arms for now or the past, which workerd drops from inside a running alarm', () => {
    expect(alarmAt(now, now)).toBe(now + 1);
    expect(alarmAt(now - 5_000, now)).toBe(now + 1);
  });
});

describe('backoff', () => {
  it('doubles from the poll interval and stops at one minute', () => {
    expect([1, 2, 3, 4].map((n) => backoff(n, 500))).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(20, 500)).toBe(32_000);
    expect(backoff(20, 5_000)).toBe(60_000);
  });
});
