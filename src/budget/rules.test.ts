import { describe, expect, it } from 'vitest';
import type { JdCallPriority } from '../jdcloud/budget';
import {
  type BudgetState,
  defaultRules,
  emptyBudget,
  JD_WINDOW_MS,
  type LeaseAnswer,
  lease,
  rateLimited,
  used,
} from './rules';

const rules = { ...defaultRules(100), leaseMs: 5_000, maxLease: 16 };

/** Leases in turn on one state, returning the answers. */
function run(state: BudgetState, steps: [now: number, p: JdCallPriority, want: number][]) {
  const answers: LeaseAnswer[] = [];
  let s = state;
  for (const [now, priority, want] of steps) {
    const r = lease(rules, s, { priority, want }, now);
    s = r.state;
    answers.push(r.answer);
  }
  return { state: s, answers };
}

describe('leases', () => {
  it('grants what is wanted, up to the largest lease, valid for leaseMs', () => {
    const { answers } = run(emptyBudget(), [
      [0, 'read', 4],
      [10, 'read', 50],
    ]);
    expect(answers).toEqual([
      { granted: 4, at: 0, expiresAt: 5_000, retryAfterMs: 0 },
      { granted: 16, at: 10, expiresAt: 5_010, retryAfterMs: 0 },
    ]);
  });

  it('never grants more than the budget within 60 s + leaseMs, so JD sees at most that per minute', () => {
    let state = emptyBudget();
    let granted = 0;
    // An action every 100 ms for three minutes, each wanting a full lease.
    const log: { at: number; n: number }[] = [];
    for (let now = 0; now < 180_000; now += 100) {
      const r = lease(rules, state, { priority: 'action', want: 16 }, now);
      state = r.state;
      granted += r.answer.granted;
      if (r.answer.granted) log.push({ at: now, n: r.answer.granted });
    }
    for (const { at } of log) {
      const inWindow = log
        .filter((g) => g.at >= at && g.at < at + JD_WINDOW_MS + rules.leaseMs)
        .reduce((sum, g) => sum + g.n, 0);
      expect(inWindow).toBeLessThanOrEqual(100);
    }
    expect(granted).toBeGreaterThanOrEqual(200);
  });

  it('keeps room for actions: sync stops at 60 %, reads at 90 %', () => {
    const { answers } = run(emptyBudget(), [
      [0, 'sync', 16],
      [0, 'sync', 16],
      [0, 'sync', 16],
      [0, 'sync', 16],
      [1, 'sync', 16],
      [2, 'read', 16],
      [3, 'read', 16],
      [4, 'read', 16],
      [5, 'action', 16],
    ]);
    expect(answers.map((a) => a.granted)).toEqual([16, 16, 16, 12, 0, 16, 14, 0, 10]);
    // The refused sync may ask again once the oldest grant leaves the window.
    expect(answers[4]?.retryAfterMs).toBe(JD_WINDOW_MS + rules.leaseMs - 1);
  });

  it('takes back the unused calls of a lease', () => {
    let { state } = run(emptyBudget(), [[0, 'sync', 16]]);
    expect(used(rules, state, 1)).toBe(16);
    state = lease(
      rules,
      state,
      { priority: 'sync', want: 1, returned: { at: 0, count: 10 } },
      2,
    ).state;
    expect(used(rules, state, 3)).toBe(7);
  });

  it('forgets grants once they are out of the window', () => {
    const { state } = run(emptyBudget(), [[0, 'action', 16]]);
    expect(used(rules, state, JD_WINDOW_MS + rules.leaseMs - 1)).toBe(16);
    expect(used(rules, state, JD_WINDOW_MS + rules.leaseMs)).toBe(0);
  });
});

describe('a 429 RATE_LIMIT from JD', () => {
  it('pauses every grant, then halves the budget for the cool-down', () => {
    let state = rateLimited(rules, emptyBudget(), 1_000);
    const paused = lease(rules, state, { priority: 'action', want: 1 }, 1_500);
    expect(paused.answer).toMatchObject({ granted: 0, retryAfterMs: 500 });
    state = paused.state;
    const { answers } = run(state, [
      [2_000, 'action', 16],
      [2_000, 'action', 16],
      [2_000, 'action', 16],
      [2_000, 'action', 16],
      [2_000, 'sync', 16],
    ]);
    expect(answers.map((a) => a.granted)).toEqual([16, 16, 16, 2, 0]);
    // After the cool-down the whole budget is back.
    const later = lease(rules, state, { priority: 'sync', want: 16 }, 61_001);
    expect(later.answer.granted).toBe(16);
  });

  it("waits for JD's Retry-After when it sent one, and never shortens a pause", () => {
    let state = rateLimited(rules, emptyBudget(), 0, 5_000);
    state = rateLimited(rules, state, 100);
    expect(lease(rules, state, { priority: 'action', want: 1 }, 4_000).answer.retryAfterMs).toBe(
      1_000,
    );
  });
});
