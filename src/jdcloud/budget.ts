/**
 * The JD call budget as the client sees it: before every HTTP attempt the client asks for one
 * call of a priority, and tells the budget when JD answered 429 `RATE_LIMIT`. Injected (see
 * `JdClientOptions.budget`); without one, calls are made at once, as unit tests and the emulator
 * need. The gateway's implementation, shared by every namespace, is in src/budget/.
 */
import { JdCloudError } from './errors';

/**
 * Who is waiting for a call, highest first: `action` (create, delete, stop, start, rebuild —
 * a user's change), `read` (a caller waiting for the answer), `sync` (a background refresh,
 * the first to wait or be refused when the budget runs short).
 */
export type JdCallPriority = 'action' | 'read' | 'sync';

export const JD_CALL_PRIORITIES: readonly JdCallPriority[] = ['action', 'read', 'sync'];

export interface JdCallBudget {
  /**
   * Resolves when one JD call of `priority` may be made (possibly after waiting); throws
   * {@link JdBudgetExhaustedError} when it may not within the priority's patience.
   */
  acquire(priority: JdCallPriority, op: string): Promise<void>;
  /** JD answered 429 RATE_LIMIT: the whole gateway slows down for a while. */
  rateLimited(retryAfterSeconds?: number): void;
}

/**
 * podgate's own JD call budget is spent: the call was not made. Shaped as JD's 429
 * `RATE_LIMIT` (the budget plays JD's limit before JD has to), so every caller that copes with
 * JD's rate limit copes with this too; the client never retries it (the budget already waited).
 */
export class JdBudgetExhaustedError extends JdCloudError {
  constructor(op: string, priority: JdCallPriority, retryAfterMs: number) {
    super(
      op,
      429,
      'RATE_LIMIT',
      `podgate's JD Cloud call budget (PODGATE_JD_CALLS_PER_MINUTE) is spent for ${priority} calls; not called`,
      undefined,
      Math.max(1, Math.ceil(retryAfterMs / 1000)),
    );
  }
}
