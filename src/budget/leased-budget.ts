/**
 * The JD call budget as one namespace object uses it: calls come out of a local lease, so the
 * shared `JdBudget` object is asked once per lease rather than once per call. A lease's size
 * follows use (doubling while leases run out, shrinking to what was used), and unused calls go
 * back with the next request so they count against nobody.
 */
import { JdBudgetExhaustedError, type JdCallBudget, type JdCallPriority } from '../jdcloud/budget';
import type { LeaseAnswer, LeaseRequest } from './rules';

/** The shared budget (the `JdBudget` Durable Object, or a stand-in in tests). */
export interface BudgetService {
  lease(request: LeaseRequest): Promise<LeaseAnswer>;
  rateLimited(retryAfterMs?: number): Promise<void>;
}

export interface LeasedBudgetOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a call of each priority may wait for room; `sync` 0 = refused at once. */
  patienceMs?: Partial<Record<JdCallPriority, number>>;
  /** While waiting, the budget is asked again at least this often (ms). */
  recheckMs?: number;
  maxLease?: number;
  /** Told when the shared budget cannot be reached (calls then go out unbudgeted). */
  onUnreachable?: (error: unknown) => void;
}

/** A user's change waits longest; a background sync does not wait at all. */
export const DEFAULT_PATIENCE_MS: Record<JdCallPriority, number> = {
  action: 60_000,
  read: 10_000,
  sync: 0,
};

interface Pool {
  at: number;
  granted: number;
  left: number;
  /** Local clock: leases are timed by their length, not by the budget object's clock. */
  expiresAt: number;
}

export function leasedBudget(
  service: BudgetService,
  options: LeasedBudgetOptions = {},
): JdCallBudget {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const patience = { ...DEFAULT_PATIENCE_MS, ...options.patienceMs };
  const recheckMs = options.recheckMs ?? 500;
  const maxLease = options.maxLease ?? 16;
  const pools = new Map<JdCallPriority, Pool>();
  const wants: Record<JdCallPriority, number> = { action: 1, read: 1, sync: 1 };
  const asking = new Map<JdCallPriority, Promise<LeaseAnswer>>();
  let report: Promise<void> | undefined;

  async function refill(priority: JdCallPriority): Promise<LeaseAnswer> {
    const pool = pools.get(priority);
    pools.delete(priority);
    if (pool) {
      const usedUp = pool.left === 0 && now() < pool.expiresAt;
      wants[priority] = usedUp
        ? Math.min(maxLease, wants[priority] * 2)
        : Math.max(1, pool.granted - pool.left);
    }
    const returned = pool && pool.left > 0 ? { at: pool.at, count: pool.left } : undefined;
    const request: LeaseRequest = {
      priority,
      want: wants[priority],
      ...(returned && { returned }),
    };
    let answer: LeaseAnswer;
    try {
      answer = await service.lease(request);
    } catch (error) {
      // JD's own limit (429, which slows every caller) stays the backstop.
      options.onUnreachable?.(error);
      return { granted: 1, at: now(), expiresAt: now(), retryAfterMs: 0 };
    }
    if (answer.granted > 0) {
      pools.set(priority, {
        at: answer.at,
        granted: answer.granted,
        left: answer.granted,
        expiresAt: now() + (answer.expiresAt - answer.at),
      });
    }
    return answer;
  }

  const take = (priority: JdCallPriority): boolean => {
    const pool = pools.get(priority);
    if (!pool || pool.left === 0 || now() >= pool.expiresAt) return false;
    pool.left--;
    return true;
  };

  return {
    async acquire(priority, op) {
      const deadline = now() + patience[priority];
      for (;;) {
        if (report) {
          const pending = report;
          report = undefined;
          await pending.catch((error: unknown) => options.onUnreachable?.(error));
        }
        if (take(priority)) return;
        let pending = asking.get(priority);
        if (!pending) {
          pending = refill(priority).finally(() => asking.delete(priority));
          asking.set(priority, pending);
        }
        const answer = await pending;
        // An unreachable budget grants one call that no pool holds: it is this caller's.
        if (answer.granted > 0 && answer.expiresAt === answer.at) return;
        if (answer.granted > 0) continue;
        const wait = Math.min(answer.retryAfterMs, recheckMs);
        if (now() + wait > deadline)
          throw new JdBudgetExhaustedError(op, priority, answer.retryAfterMs);
        await sleep(wait);
      }
    },

    rateLimited(retryAfterSeconds) {
      // Leased calls are not spent after a 429: every caller asks the (now paused) budget.
      pools.clear();
      const ms = retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000;
      const previous = report ?? Promise.resolve();
      report = previous.then(() => service.rateLimited(ms));
    },
  };
}
