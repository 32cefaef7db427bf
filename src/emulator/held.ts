/**
 * Answers held after acting (fault `holdAfter`): JD Cloud has done the work, the response waits
 * until a test releases it (`POST /__emulator/held/release`) or the hold's limit passes. Lives in
 * the emulator object's memory: a held answer is an open request, which no restart survives.
 */

/** A call whose answer is being held, as `GET /__emulator/held` lists it. */
export interface HeldCall {
  id: number;
  operation: string;
  method: string;
  path: string;
  /** The HTTP status of the answer waiting to be sent. */
  status: number;
  /** Wall-clock time the call acted (ISO). */
  since: string;
}

interface Entry {
  call: HeldCall;
  release: () => void;
}

interface Waiter {
  operation: string | undefined;
  resolve: (call: HeldCall | undefined) => void;
}

const matches = (call: HeldCall, operation: string | undefined) =>
  operation === undefined || call.operation === operation;

export class HeldAnswers {
  private nextId = 1;
  private readonly entries = new Map<number, Entry>();
  private waiters: Waiter[] = [];

  /** Holds an answer: resolves once released, or after `maxMs` whatever happens. */
  hold(call: Omit<HeldCall, 'id' | 'since'>, maxMs: number): Promise<void> {
    const held: HeldCall = { ...call, id: this.nextId++, since: new Date().toISOString() };
    const released = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.release({ id: held.id }), maxMs);
      this.entries.set(held.id, {
        call: held,
        release: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
    const [woken, waiting] = partition(this.waiters, (w) => matches(held, w.operation));
    this.waiters = waiting;
    for (const w of woken) w.resolve(held);
    return released;
  }

  /** The held calls, oldest first, optionally of one operation. */
  list(operation?: string): HeldCall[] {
    return [...this.entries.values()].map((e) => e.call).filter((c) => matches(c, operation));
  }

  /**
   * The oldest held call of `operation` (any when undefined), waiting up to `timeoutMs` for one
   * to be held; `undefined` when none came.
   */
  waitFor(operation: string | undefined, timeoutMs: number): Promise<HeldCall | undefined> {
    const now = this.list(operation)[0];
    if (now || timeoutMs <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        operation,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends the held answers selected by id or operation (all when neither); how many. */
  release(filter: { id?: number | undefined; operation?: string | undefined } = {}): number {
    let released = 0;
    for (const [id, entry] of this.entries) {
      if (filter.id !== undefined && id !== filter.id) continue;
      if (!matches(entry.call, filter.operation)) continue;
      this.entries.delete(id);
      entry.release();
      released++;
    }
    return released;
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
