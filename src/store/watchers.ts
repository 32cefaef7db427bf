/**
 * In-memory subscribers to a namespace's changes. Each watch stream registers a listener; the
 * store publishes every committed event. Listeners live as long as their stream (and this
 * object's isolate): a client whose watch ends re-lists and watches again, as Kubernetes
 * clients do.
 */
import type { StoredEvent } from './rows';

export type WatchListener = (event: StoredEvent) => void;

export class Watchers {
  private readonly listeners = new Set<WatchListener>();

  /** Registers `listener`; returns the function that removes it. */
  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: StoredEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  get size(): number {
    return this.listeners.size;
  }
}
