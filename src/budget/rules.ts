/**
 * The gateway-wide JD call budget's rules, as pure functions over a plain state and a clock.
 *
 * Calls are granted in leases (a few calls a namespace object may make within `leaseMs`).
 * Every grant is remembered for 60 s + `leaseMs`: a call made from a lease happens at most
 * `leaseMs` after its grant, so "grants in any 60 s + leaseMs ≤ perMinute" means "calls in any
 * 60 s ≤ perMinute" — JD's window, whichever way it is aligned.
 *
 * Priorities share the budget by ceilings: `sync` may fill it only to 60 %, `read` to 90 %,
 * `action` to 100 %, so when it runs short background syncs stop first and a user's change
 * still goes out. A 429 RATE_LIMIT from JD pauses every grant briefly and halves the budget for
 * a cool-down minute (someone else — JD's console, another tool — is spending the account's).
 */
import type { JdCallPriority } from '../jdcloud/budget';

export interface BudgetRules {
  perMinute: number;
  /** How long a lease's calls may be used. */
  leaseMs: number;
  /** The most calls one lease grants. */
  maxLease: number;
  /** The share of the budget each priority may fill. */
  shares: Record<JdCallPriority, number>;
  /** After a 429: no grants for `pauseMs` (or JD's Retry-After)… */
  pauseMs: number;
  /** …and the budget times `slowFactor` for `coolDownMs`. */
  slowFactor: number;
  coolDownMs: number;
}

export const JD_WINDOW_MS = 60_000;

export const defaultRules = (perMinute: number): BudgetRules => ({
  perMinute,
  leaseMs: 5_000,
  maxLease: 16,
  shares: { action: 1, read: 0.9, sync: 0.6 },
  pauseMs: 1_000,
  slowFactor: 0.5,
  coolDownMs: 60_000,
});

/** One lease: when it was granted and how many calls it still counts for. */
export interface Grant {
  at: number;
  count: number;
}

export interface BudgetState {
  grants: Grant[];
  pausedUntil: number;
  slowUntil: number;
}

export const emptyBudget = (): BudgetState => ({ grants: [], pausedUntil: 0, slowUntil: 0 });

export interface LeaseRequest {
  priority: JdCallPriority;
  /** Calls wanted (1 … maxLease). */
  want: number;
  /** The unused calls of an earlier lease (identified by its grant time), given back. */
  returned?: Grant;
}

export interface LeaseAnswer {
  /** Calls granted now; 0 = none. */
  granted: number;
  /** The grant's time (identifies it when unused calls are returned). */
  at: number;
  /** The calls may be made until then. */
  expiresAt: number;
  /** With none granted: when asking again may succeed. */
  retryAfterMs: number;
}

const windowMs = (rules: BudgetRules) => JD_WINDOW_MS + rules.leaseMs;

/** The calls `priority` may have in the window now. */
export function ceiling(rules: BudgetRules, state: BudgetState, now: number, p: JdCallPriority) {
  const budget = rules.perMinute * (now < state.slowUntil ? rules.slowFactor : 1);
  return Math.floor(budget * rules.shares[p]);
}

/** Grants still in the window at `now` (older ones forgotten). */
function live(rules: BudgetRules, state: BudgetState, now: number): Grant[] {
  const since = now - windowMs(rules);
  return state.grants.filter((g) => g.at > since && g.count > 0);
}

export const used = (rules: BudgetRules, state: BudgetState, now: number) =>
  live(rules, state, now).reduce((sum, g) => sum + g.count, 0);

/** Answers a lease request at `now`: the new state and what was granted. */
export function lease(
  rules: BudgetRules,
  state: BudgetState,
  request: LeaseRequest,
  now: number,
): { state: BudgetState; answer: LeaseAnswer } {
  let grants = live(rules, state, now);
  const back = request.returned;
  if (back && back.count > 0) {
    grants = grants.map((g) =>
      g.at === back.at ? { ...g, count: Math.max(0, g.count - back.count) } : g,
    );
  }
  const base = { ...state, grants };
  const refuse = (retryAfterMs: number) => ({
    state: base,
    answer: { granted: 0, at: now, expiresAt: now, retryAfterMs: Math.max(1, retryAfterMs) },
  });
  if (now < state.pausedUntil) return refuse(state.pausedUntil - now);
  const limit = ceiling(rules, base, now, request.priority);
  const inUse = grants.reduce((sum, g) => sum + g.count, 0);
  const want = Math.max(1, Math.min(rules.maxLease, Math.floor(request.want)));
  const granted = Math.min(want, limit - inUse);
  if (granted <= 0) return refuse(untilRoom(rules, base, grants, now, limit, inUse));
  // Grants at the same ms share one entry: a returned lease is found by its time.
  const last = grants[grants.length - 1];
  const next =
    last?.at === now
      ? [...grants.slice(0, -1), { at: now, count: last.count + granted }]
      : [...grants, { at: now, count: granted }];
  return {
    state: { ...base, grants: next },
    answer: { granted, at: now, expiresAt: now + rules.leaseMs, retryAfterMs: 0 },
  };
}

/** How long until one more call fits under `limit`. */
function untilRoom(
  rules: BudgetRules,
  state: BudgetState,
  grants: Grant[],
  now: number,
  limit: number,
  inUse: number,
): number {
  if (limit <= 0) return Math.max(state.slowUntil - now, rules.pauseMs);
  let excess = inUse - limit + 1;
  for (const g of grants) {
    excess -= g.count;
    if (excess <= 0) return g.at + windowMs(rules) - now;
  }
  return windowMs(rules);
}

/** JD answered 429 RATE_LIMIT at `now`: pause, then run slower for a while. */
export function rateLimited(
  rules: BudgetRules,
  state: BudgetState,
  now: number,
  retryAfterMs?: number,
): BudgetState {
  return {
    ...state,
    pausedUntil: Math.max(state.pausedUntil, now + (retryAfterMs ?? rules.pauseMs)),
    slowUntil: Math.max(state.slowUntil, now + rules.coolDownMs),
  };
}
