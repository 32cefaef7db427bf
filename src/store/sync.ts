/**
 * The reconciler: brings JD Cloud's state of a namespace's pods into storage, so that reads and
 * watches are answered from storage, as the apiserver answers them, while JD Cloud plays the
 * kubelet.
 *
 * - A namespace sync lists the namespace's JD pods (every page), folds each into its stored pod
 *   (a changed status is one new version and one watch event), confirms with describePod every
 *   stored pod the listing did not show before it is tombstoned, and adopts pods only JD has.
 * - A read asks for state no older than the freshness bound: a LIST for the namespace, a GET for
 *   its pod (the namespace too while it fits one listing page, else one describePod). Concurrent readers share one refresh (single flight), so however
 *   many read, JD sees at most one call per freshness window. A refresh that fails leaves the
 *   stored state, and the read says how old it is in a warning instead of failing.
 * - The alarm syncs on a cadence (`nextSyncAt`): every poll interval while the namespace is
 *   active (a journal running, reads in the last minute, or a watch open while pods changed
 *   within the idle interval), every idle interval while it is watched or was read in the last
 *   ten minutes, and not at all once nobody uses it. So an open watch sees an out-of-band change
 *   within one poll while the namespace is lively, and a watched namespace whose pods have been
 *   stable for the idle interval costs one call per idle interval, not one per poll.
 */
import type { JdPod } from '../jdcloud/models';
import { ALL_PAGES_SIZE } from '../jdcloud/pod-operations';
import { describeError } from './jd-failure';

/** What the reconciler needs of the namespace object. */
export interface SyncHost {
  /**
   * Lists the namespace's JD pods (every page), at the JD call budget's `priority`: `sync` for
   * the alarm's own passes (the first to slow down when the budget is short), `read` when a
   * caller waits for it.
   */
  listJdPods(priority: 'sync' | 'read'): Promise<JdPod[]>;
  /** Folds a listing into storage; returns the warnings of pods adopted from JD alone. */
  foldListing(jdPods: readonly JdPod[]): string[];
  /** Confirms with describePod each stored pod the listing did not show. */
  confirmUnlisted(listed: ReadonlySet<string>): Promise<void>;
  /** Refreshes one stored pod from describePod. */
  refreshPod(name: string): Promise<void>;
  /** How many pods the namespace stores. */
  podCount(): number;
  /** The JD pod a stored pod is, if JD Cloud has accepted it. */
  jdPodIdOf(name: string): string | undefined;
  /** Reads and writes the namespace's last successful sync time (kept in storage; 0: never). */
  syncedAt(): number;
  setSyncedAt(at: number): void;
  /** True while a journaled operation runs (its pods are in transition). */
  working(): boolean;
  /** True while a watch is open on the namespace. */
  watched(): boolean;
  /** When a pod of the namespace last changed (any commit, or this object's start). */
  changedAt(): number;
  pollMs(): number;
  idleSyncMs(): number;
}

/** A namespace nobody has read or watched for this long is no longer synced. */
export const DORMANT_AFTER_MS = 10 * 60_000;
/** Reads within this long make the namespace busy (the poll cadence). */
const RECENT_READS_MS = 60_000;

/** How a sync went: why it failed, if it did, and the warnings of pods adopted from JD alone. */
interface SyncOutcome {
  failed?: string;
  adopted: string[];
}

export class Reconciler {
  private namespaceSync: Promise<SyncOutcome> | undefined;
  private readonly podRefreshes = new Map<string, Promise<string | undefined>>();
  /** When each JD pod was last refreshed on its own (a namespace sync refreshes them all). */
  private readonly podSyncedAt = new Map<string, number>();
  private lastReadAt = 0;
  /** Until its first sync, the cadence counts from here: a new object does not sync at once. */
  private readonly startedAt = Date.now();
  /** After a failed sync, none is tried before this time (429s and outages slow syncing). */
  private retryAfter = 0;
  private failures = 0;
  /** Why the last sync failed, while it is backing off. */
  private lastFailure: string | undefined;

  constructor(private readonly host: SyncHost) {}

  /** Notes a read: the namespace stays in use, at the poll cadence for a minute. */
  touch(now = Date.now()): void {
    this.lastReadAt = now;
  }

  /** Syncs the namespace now, or joins the sync under way (never rejects). */
  sync(priority: 'sync' | 'read' = 'sync'): Promise<SyncOutcome> {
    this.namespaceSync ??= this.runSync(priority).finally(() => {
      this.namespaceSync = undefined;
    });
    return this.namespaceSync;
  }

  /**
   * Makes the stored namespace no older than `maxAgeMs`, syncing if it is older. Answers the
   * warnings the read carries: pods the sync adopted from JD Cloud alone, or, when JD Cloud
   * could not be read, how old the stored state is.
   */
  async fresh(maxAgeMs: number, now = Date.now()): Promise<string[]> {
    this.touch(now);
    if (now - this.host.syncedAt() <= maxAgeMs) return [];
    // Within a failed sync's backoff, readers are served storage at once: no retry storm.
    if (this.lastFailure && now < this.retryAfter)
      return [this.staleWarning(this.lastFailure, now)];
    const { failed, adopted } = await this.sync('read');
    return failed ? [...adopted, this.staleWarning(failed, now)] : adopted;
  }

  /**
   * `fresh` for one pod. A namespace that fits one listing page is refreshed whole (one
   * describePods serves the readers of every pod in it for the window); in a larger one, a
   * describePod of that pod, shared by every concurrent reader of it.
   */
  async freshPod(name: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
    if (this.host.podCount() <= ALL_PAGES_SIZE) return this.fresh(maxAgeMs, now);
    this.touch(now);
    const jdPodId = this.host.jdPodIdOf(name);
    if (!jdPodId) return [];
    const at = Math.max(this.host.syncedAt(), this.podSyncedAt.get(jdPodId) ?? 0);
    if (now - at <= maxAgeMs) return [];
    let refresh = this.podRefreshes.get(name);
    if (!refresh) {
      refresh = this.host
        .refreshPod(name)
        .then(() => {
          // Bounded: a namespace sync refreshes every pod anyway.
          if (this.podSyncedAt.size >= 10_000) this.podSyncedAt.clear();
          this.podSyncedAt.set(jdPodId, Date.now());
          return undefined;
        })
        .catch((error: unknown) => describeError(error))
        .finally(() => this.podRefreshes.delete(name));
      this.podRefreshes.set(name, refresh);
    }
    const failed = await refresh;
    return failed ? [this.staleWarning(failed, now, this.podSyncedAt.get(jdPodId))] : [];
  }

  /**
   * When the alarm should sync next, or null for a namespace nobody uses. The poll interval after
   * the last sync while a pod is in transition, reads were made in the last minute, or a watch
   * is open on a namespace that changed within the idle interval; the idle interval while a
   * watch is open on a namespace that has been stable that long, or while the namespace was read
   * in the last ten minutes. A failed sync is not retried before its backoff.
   */
  nextSyncAt(now = Date.now()): number | null {
    const watched = this.host.watched();
    const idleMs = this.host.idleSyncMs();
    const active =
      this.host.working() ||
      now - this.lastReadAt < RECENT_READS_MS ||
      (watched && now - this.host.changedAt() < idleMs);
    if (!active && !watched && now - this.lastReadAt >= DORMANT_AFTER_MS) return null;
    const interval = active ? this.host.pollMs() : idleMs;
    const since = this.host.syncedAt() || this.startedAt;
    return Math.max(since + interval, this.retryAfter);
  }

  private async runSync(priority: 'sync' | 'read'): Promise<SyncOutcome> {
    let adopted: string[] = [];
    try {
      const jdPods = await this.host.listJdPods(priority);
      adopted = this.host.foldListing(jdPods);
      await this.host.confirmUnlisted(new Set(jdPods.map((p) => p.podId)));
      this.host.setSyncedAt(Date.now());
      this.failures = 0;
      this.retryAfter = 0;
      this.lastFailure = undefined;
      return { adopted };
    } catch (error) {
      this.failures++;
      this.retryAfter =
        Date.now() + Math.min(60_000, this.host.pollMs() * 2 ** Math.min(this.failures, 6));
      this.lastFailure = describeError(error);
      return { failed: this.lastFailure, adopted };
    }
  }

  private staleWarning(why: string, now: number, podAt?: number): string {
    const at = Math.max(this.host.syncedAt(), podAt ?? 0);
    const age = at > 0 ? `${Math.round((now - at) / 1000)} s ago` : 'before this object started';
    return `podgate could not refresh from JD Cloud (${why}); the status shown is as of ${age}`;
  }
}
