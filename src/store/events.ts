/**
 * A namespace's Kubernetes Events in its Durable Object (table `kube_events`, see schema.ts):
 * recorded at the commit point from what changed (k8s/pod-events.ts), listed and watched by
 * clients, kept for an hour (the apiserver's default event TTL) and at most
 * {@link MAX_EVENTS_PER_NAMESPACE} per namespace.
 *
 * An event that repeats (same object, field path, type, reason and message) is counted on its
 * first row — `count`, `lastTimestamp` (and events.k8s.io's `series`) — instead of added again.
 *
 * Events share the namespace's resourceVersion counter with its pods: every write takes the next
 * version, so versions never repeat across the two and a watch resumes from any of them.
 */
import type { CoreEvent } from '../k8s/event';
import { REPORTER } from '../k8s/event';
import type { Pod } from '../k8s/pod';
import type { EventDraft } from '../k8s/pod-events';
import { formatTime } from '../k8s/prepare-create';

/** How long an event is kept after it was last seen (kube-apiserver's `--event-ttl`). */
export const EVENT_TTL_MS = 60 * 60_000;

/** The most events a namespace keeps; the oldest go first. */
export const MAX_EVENTS_PER_NAMESPACE = 1000;

/** One change to the events, as a watch sends it. */
export interface EventChange {
  rv: number;
  type: 'ADDED' | 'MODIFIED';
  name: string;
  object: CoreEvent;
}

type EventRecord = {
  name: string;
  rv: number;
  created_rv: number;
  event: string;
};

const seriesKey = (pod: Pod, draft: EventDraft) =>
  JSON.stringify([
    pod.metadata.uid,
    draft.fieldPath ?? '',
    draft.type,
    draft.reason,
    draft.message,
  ]);

export class EventLog {
  constructor(
    private readonly sql: SqlStorage,
    /** Takes the namespace's next resourceVersion. */
    private readonly nextRv: () => number,
  ) {}

  /** Records `drafts` about `pod` at `now`; returns the changes, oldest first. */
  record(pod: Pod, drafts: readonly EventDraft[], now = Date.now()): EventChange[] {
    const changes: EventChange[] = [];
    if (drafts.length === 0) return changes;
    this.prune(now);
    const at = formatTime(new Date(now));
    for (const draft of drafts) {
      const rv = this.nextRv();
      const key = seriesKey(pod, draft);
      const known = this.sql
        .exec<{ event: string }>('SELECT event FROM kube_events WHERE series_key = ?', key)
        .toArray()[0];
      if (known) {
        const before = JSON.parse(known.event) as CoreEvent;
        const event: CoreEvent = {
          ...before,
          metadata: { ...before.metadata, resourceVersion: String(rv) },
          count: before.count + 1,
          lastTimestamp: at,
        };
        this.sql.exec(
          'UPDATE kube_events SET rv = ?, last_at = ?, event = ? WHERE series_key = ?',
          rv,
          now,
          JSON.stringify(event),
          key,
        );
        changes.push({ rv, type: 'MODIFIED', name: event.metadata.name, object: event });
        continue;
      }
      const event = newEvent(pod, draft, rv, at);
      this.sql.exec(
        `INSERT INTO kube_events (name, series_key, rv, created_rv, last_at, event)
         VALUES (?, ?, ?, ?, ?, ?)`,
        event.metadata.name,
        key,
        rv,
        rv,
        now,
        JSON.stringify(event),
      );
      changes.push({ rv, type: 'ADDED', name: event.metadata.name, object: event });
    }
    this.cap();
    return changes;
  }

  /** Drops events last seen more than {@link EVENT_TTL_MS} before `now`. */
  prune(now = Date.now()): void {
    this.sql.exec('DELETE FROM kube_events WHERE last_at < ?', now - EVENT_TTL_MS);
  }

  private cap(): void {
    this.sql.exec(
      `DELETE FROM kube_events WHERE rv <= (
         SELECT rv FROM kube_events ORDER BY rv DESC LIMIT 1 OFFSET ?)`,
      MAX_EVENTS_PER_NAMESPACE,
    );
  }

  /** Every kept event, in name order (the apiserver lists by key). */
  all(now = Date.now()): CoreEvent[] {
    this.prune(now);
    return this.sql
      .exec<{ event: string }>('SELECT event FROM kube_events ORDER BY name')
      .toArray()
      .map((row) => JSON.parse(row.event) as CoreEvent);
  }

  get(name: string): CoreEvent | undefined {
    const row = this.sql
      .exec<{ event: string }>('SELECT event FROM kube_events WHERE name = ?', name)
      .toArray()[0];
    return row && (JSON.parse(row.event) as CoreEvent);
  }

  /** The kept events written after `rv`, oldest first: ADDED if created after it, else MODIFIED. */
  changesAfter(rv: number): EventChange[] {
    return this.sql
      .exec<EventRecord>(
        'SELECT name, rv, created_rv, event FROM kube_events WHERE rv > ? ORDER BY rv',
        rv,
      )
      .toArray()
      .map((row) => ({
        rv: row.rv,
        type: row.created_rv > rv ? 'ADDED' : 'MODIFIED',
        name: row.name,
        object: JSON.parse(row.event) as CoreEvent,
      }));
  }
}

/** A new core/v1 Event about `pod`: named `<pod>.<resourceVersion in hex>`, unique and ordered. */
function newEvent(pod: Pod, draft: EventDraft, rv: number, at: string): CoreEvent {
  const namespace = pod.metadata.namespace ?? '';
  const podName = pod.metadata.name ?? '';
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: {
      name: `${podName}.${rv.toString(16)}`,
      namespace,
      uid: crypto.randomUUID(),
      resourceVersion: String(rv),
      creationTimestamp: at,
    },
    involvedObject: {
      kind: 'Pod',
      apiVersion: 'v1',
      namespace,
      name: podName,
      uid: pod.metadata.uid ?? '',
      ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
      ...(draft.fieldPath ? { fieldPath: draft.fieldPath } : {}),
    },
    reason: draft.reason,
    message: draft.message,
    source: { component: REPORTER, ...(pod.spec.nodeName ? { host: pod.spec.nodeName } : {}) },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    type: draft.type,
    eventTime: null,
    reportingComponent: REPORTER,
    reportingInstance: pod.spec.nodeName || REPORTER,
  };
}
