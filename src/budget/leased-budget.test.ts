import { describe, expect, it } from 'vitest';
import { JdBudgetExhaustedError } from '../jdcloud/budget';
import { type BudgetService, leasedBudget } from './leased-budget';
import {
  type BudgetState,
  defaultRules,
  emptyBudget,
  type LeaseRequest,
  lease,
  rateLimited,
  used,
} from './rules';

/** The shared budget's rules on a driven clock, recording every request. */
function sharedBudget(perMinute: number) {
  const rules = defaultRules(perMinute);
  let state: BudgetState = emptyBudget();
  let now = 0;
  const requests: LeaseRequest[] = [];
  const service: BudgetService = {
    async lease(request) {
      requests.push(request);
      const r = lease(rules, state, request, now);
      state = r.state;
      return r.answer;
    },
    async rateLimited(ms) {
      state = rateLimited(rules, state, now, ms);
    },
  };
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
  return { service, clock, requests, used: () => used(rules, state, now) };
}

describe('leasedBudget', () => {
  it('asks the shared budget once per lease, growing leases while they run out', async () => {
    const shared = sharedBudget(600);
    const budget = leasedBudget(shared.service, shared.clock);
    for (let i = 0; i < 15; i++) await budget.acquire('read', 'describePod');
    expect(shared.requests.map((r) => r.want)).toEqual([1, 2, 4, 8]);
    expect(shared.used()).toBe(15);
  });

  it('gives unused calls back when a lease expires, and shrinks the next one', async () => {
    const shared = sharedBudget(600);
    const budget = leasedBudget(shared.service, shared.clock);
    // Leases of 1, 2 and 4 calls; the last one has a call left when it expires.
    for (let i = 0; i < 6; i++) await budget.acquire('read', 'describePod');
    expect(shared.used()).toBe(7);
    shared.clock.advance(5_000);
    await budget.acquire('read', 'describePod');
    const last = shared.requests[shared.requests.length - 1];
    expect(last).toMatchObject({ want: 3, returned: { count: 1 } });
    expect(shared.used()).toBe(7 - 1 + 3);
  });

  it('refuses a sync at once when the budget is short, while a read waits for room', async () => {
    const shared = sharedBudget(10);
    const budget = leasedBudget(shared.service, {
      ...shared.clock,
      maxLease: 1,
      patienceMs: { read: 120_000 },
    });
    for (let i = 0; i < 6; i++) await budget.acquire('sync', 'describePods');
    await expect(budget.acquire('sync', 'describePods')).rejects.toBeInstanceOf(
      JdBudgetExhaustedError,
    );
    for (let i = 0; i < 4; i++) await budget.acquire('action', 'stopPod');
    const started = shared.clock.now();
    await budget.acquire('read', 'describePod');
    // Room came back once the first grants left the 65 s window.
    expect(shared.clock.now() - started).toBeGreaterThanOrEqual(60_000);
  });

  it('gives up on a read when waiting would outlast its patience', async () => {
    const shared = sharedBudget(10);
    const budget = leasedBudget(shared.service, {
      ...shared.clock,
      patienceMs: { read: 1_000 },
    });
    for (let i = 0; i < 9; i++) await budget.acquire('read', 'describePod');
    const failure = await budget.acquire('read', 'describePod').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(JdBudgetExhaustedError);
    expect((failure as JdBudgetExhaustedError).status).toBe('RATE_LIMIT');
  });

  it('after a 429, drops its leased calls and waits out the pause', async () => {
    const shared = sharedBudget(600);
    const budget = leasedBudget(shared.service, shared.clock);
    await budget.acquire('action', 'stopPod');
    await budget.acquire('action', 'stopPod');
    budget.rateLimited(2);
    const before = shared.clock.now();
    await budget.acquire('action', 'stopPod');
    expect(shared.clock.now() - before).toBeGreaterThanOrEqual(2_000);
  });

  it('calls JD unbudgeted when the shared budget cannot be reached, and says so', async () => {
    const errors: unknown[] = [];
    const budget = leasedBudget(
      {
        lease: () => Promise.reject(new Error('budget object unavailable')),
        rateLimited: () => Promise.resolve(),
      },
      { onUnreachable: (e) => errors.push(e) },
    );
    await budget.acquire('read', 'describePod');
    await budget.acquire('read', 'describePod');
    expect(errors).toHaveLength(2);
  });
});
