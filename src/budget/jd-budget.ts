/**
 * `JdBudget`: the one Durable Object (named `global`) that holds the gateway-wide JD call
 * budget, PODGATE_JD_CALLS_PER_MINUTE across every namespace. Namespace objects lease calls
 * from it (see leased-budget.ts); its state is small and lives in synchronous KV storage only
 * (read per request: a local SQLite read), so an eviction forgets nothing that was granted.
 */
import { DurableObject } from 'cloudflare:workers';
import { configFor, DEFAULT_JD_CALLS_PER_MINUTE } from '../config';
import { JD_CALL_PRIORITIES } from '../jdcloud/budget';
import {
  type BudgetRules,
  type BudgetState,
  ceiling,
  defaultRules,
  emptyBudget,
  type LeaseAnswer,
  type LeaseRequest,
  lease,
  rateLimited,
  used,
} from './rules';

const STATE_KEY = 'budget';

/** What the budget holds now (tests, the bench). */
export interface BudgetUsage {
  perMinute: number;
  /** Calls granted within the window. */
  used: number;
  /** What `action` calls may fill now (halved while cooling down from a 429). */
  ceiling: number;
  paused: boolean;
}

export class JdBudget extends DurableObject<Env> {
  /** The rules in force; from the configuration (tests may replace them). */
  rules: BudgetRules;
  /** Added to the wall clock; tests move it with the emulator's clock. */
  clockOffsetMs = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.rules = defaultRules(configFor(env).jdcloud.callsPerMinute ?? DEFAULT_JD_CALLS_PER_MINUTE);
  }

  private get state(): BudgetState {
    return this.ctx.storage.kv.get<BudgetState>(STATE_KEY) ?? emptyBudget();
  }

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  private save(state: BudgetState): void {
    this.ctx.storage.kv.put(STATE_KEY, state);
  }

  lease(request: LeaseRequest): LeaseAnswer {
    if (!JD_CALL_PRIORITIES.includes(request.priority) || !(request.want >= 1)) {
      throw new TypeError('lease: priority must be action, read or sync, and want at least 1');
    }
    const { state, answer } = lease(this.rules, this.state, request, this.now());
    this.save(state);
    return answer;
  }

  rateLimited(retryAfterMs?: number): void {
    this.save(rateLimited(this.rules, this.state, this.now(), retryAfterMs));
  }

  usage(): BudgetUsage {
    const now = this.now();
    return {
      perMinute: this.rules.perMinute,
      used: used(this.rules, this.state, now),
      ceiling: ceiling(this.rules, this.state, now, 'action'),
      paused: now < this.state.pausedUntil,
    };
  }
}
