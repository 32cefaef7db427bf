/**
 * The namespace's storage: pod rows under resourceVersions, the watch history, the Events, and
 * the pushed fan-out to watchers. Every write of a pod goes through `commit`, synchronously, so a
 * version, its watch event and the Events it makes are stored together and pushed at once.
 */
import type { CoreEvent } from '../k8s/event';
import type { Pod } from '../k8s/pod';
import { podEvents } from '../k8s/pod-events';
import { gone } from '../k8s/status';
import type { EventWatchSource } from './event-watch';
import { type EventChange, EventLog } from './events';
import { type PodRow, type RowChange, Rows, type StoredEvent } from './rows';
import { migrate } from './schema';
import { RecentStates, rebuildAt, type VersionedSource } from './snapshots';
import type { WatchSource } from './watch-stream';
import { Watchers } from './watchers';

export class NamespaceStorage implements WatchSource, EventWatchSource, VersionedSource {
  readonly rows: Rows;
  readonly events: EventLog;
  readonly watchers = new Watchers();
  readonly eventWatchers = new Watchers<EventChange>();
  private readonly recent = new RecentStates();
  /**
   * When a pod was last committed, or this object started (in memory: the sync cadence's sense
   * of a lively namespace, see sync.ts).
   */
  changedAt = Date.now();

  constructor(sql: SqlStorage) {
    migrate(sql);
    this.rows = new Rows(sql);
    // Events take the namespace's next resourceVersion, as pods do (see events.ts).
    this.events = new EventLog(sql, () => {
      const rv = this.rows.currentRv() + 1;
      this.rows.setMeta('rv', String(rv));
      return rv;
    });
  }

  row(name: string): PodRow | undefined {
    return this.rows.get(name);
  }

  /**
   * Writes a new version of a pod and tells the watchers; records the Events the change makes
   * (k8s/pod-events.ts) in the same synchronous step, and tells their watchers.
   */
  commit(
    type: StoredEvent['type'],
    pod: Pod,
    fields: { uid: string; jdPodId: string | null },
  ): Pod {
    const before = this.rows.get(pod.metadata.name as string);
    const { pod: stored, event } = this.rows.commit(type, pod, fields);
    this.changedAt = Date.now();
    this.watchers.publish(event);
    const previous = before && { pod: before.pod, accepted: before.jdPodId !== null };
    const drafts = podEvents(previous, { pod: stored, accepted: fields.jdPodId !== null }, type);
    for (const change of this.events.record(stored, drafts)) this.eventWatchers.publish(change);
    return stored;
  }

  /**
   * The guaranteed update (the apiserver's GuaranteedUpdate): `change` gets the row as it is
   * now, and its result is committed in the same synchronous step, so nothing written since the
   * caller's last await is lost. Every change of a stored pod after an await goes through here.
   * Returns the stored pod (undefined when there is no such row, or the change deleted it).
   */
  update(name: string, change: (row: PodRow) => RowChange | undefined): Pod | undefined {
    const row = this.rows.get(name);
    if (!row) return undefined;
    const next = change(row);
    if (!next) return row.pod;
    const jdPodId = next.jdPodId === undefined ? row.jdPodId : next.jdPodId;
    const stored = this.commit(next.type, next.pod, { uid: row.uid, jdPodId });
    return next.type === 'DELETED' ? undefined : stored;
  }

  /** Watch history after `rv` (for watch streams); throws 410 Expired when it is too old. */
  history(rv: number): StoredEvent[] {
    const oldest = this.rows.oldestEventRv();
    if (rv < oldest - 1) throw gone(`too old resource version: ${rv} (${oldest - 1})`);
    return this.rows.eventsAfter(rv);
  }

  /** The current pods and the resourceVersion they are at (where a fresh watch starts). */
  snapshot(): { rv: number; pods: Pod[] } {
    return { rv: this.rows.currentRv(), pods: this.rows.all().map((row) => row.pod) };
  }

  currentRv(): number {
    return this.rows.currentRv();
  }

  oldestRv(): number {
    return this.rows.oldestEventRv() - 1;
  }

  /** Remembers the pods of version `rv` (a list served them) for the pages and reads after it. */
  remember(rv: number, pods: readonly Pod[]): void {
    this.recent.remember(rv, pods);
  }

  /** The namespace's pods at `rv` (snapshots.ts), or undefined past the history. */
  podsAt(rv: number): readonly Pod[] | undefined {
    const current = this.snapshot();
    if (rv === current.rv) return current.pods;
    const remembered = this.recent.at(rv);
    if (remembered) return remembered;
    if (rv < this.oldestRv()) return undefined;
    return rebuildAt(current.pods, this.rows.eventsAfter(rv), (name) =>
      this.rows.eventAtOrBefore(name, rv),
    );
  }

  eventChangesAfter(rv: number): EventChange[] {
    return this.events.changesAfter(rv);
  }

  eventSnapshot(): { rv: number; events: CoreEvent[] } {
    return { rv: this.rows.currentRv(), events: this.events.all() };
  }
}
