/**
 * In-memory subscribers to a namespace's changes. Each watch stream registers a listener; the
 * store publishes every committed event, and a listener only queues it and wakes its stream (no
 * polling). One instance carries pod changes, another Events (events.ts, event-watch.ts).
 * Listeners live as long as their stream: a stream that ends, or whose client goes away,
 * unsubscribes at once.
 *
 * The per-caller watch cap is counted here, in the namespace's Durable Object: it is the one
 * place that sees every watch of its namespace, whichever gateway isolate the client reached.
 * So the cap is per caller per namespace; an all-namespaces watch holds one in each namespace.
 * Pod watches and event watches are counted apart.
 */
import { tooManyRequests } from '../k8s/status';
import type { StoredEvent } from './rows';

export type WatchListener<E = StoredEvent> = (event: E) => void;

/** How long a caller refused for too many watches is asked to wait. */
const RETRY_AFTER_SECONDS = 1;

export class Watchers<E = StoredEvent> {
  private readonly listeners = new Set<WatchListener<E>>();
  private readonly open = new Map<string, number>();
  private readonly closers = new Map<string, () => void>();

  /** Registers `listener`; returns the function that removes it (calling it twice is harmless). */
  subscribe(listener: WatchListener<E>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: E): void {
    for (const listener of this.listeners) listener(event);
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Remembers how to end the watch `id` (until it ends by itself: `forget`). */
  track(id: string, close: () => void): void {
    this.closers.set(id, close);
  }

  forget(id: string): void {
    this.closers.delete(id);
  }

  /**
   * Ends the watch `id` now: its client went away. workerd tells a stream sent over RPC that
   * its reader is gone only when the stream next writes, which an idle watch may not do for an
   * hour; the gateway therefore says so itself.
   */
  close(id: string): void {
    this.closers.get(id)?.();
  }

  /** How many watches `caller` holds open here. */
  held(caller: string): number {
    return this.open.get(caller) ?? 0;
  }

  /**
   * Throws 429 (with `Retry-After`) when `caller` already holds `max` watches here. Callers check
   * before doing any work for a new watch; `admit` checks again when it counts.
   */
  checkRoom(caller: string, max: number): void {
    if (this.held(caller) >= max) {
      throw tooManyRequests(
        `Too many requests: ${caller} already has ${max} watches open on this namespace; close one, or try again later.`,
        RETRY_AFTER_SECONDS,
      );
    }
  }

  /** Counts one more watch of `caller` (429 past `max`); returns its release, which runs once. */
  admit(caller: string, max: number): () => void {
    this.checkRoom(caller, max);
    this.open.set(caller, this.held(caller) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.held(caller) - 1;
      if (left > 0) this.open.set(caller, left);
      else this.open.delete(caller);
    };
  }
}
