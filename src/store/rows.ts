/**
 * Typed access to the namespace object's SQLite tables (see schema.ts): pod rows, the
 * resourceVersion counter and the watch event history.
 */
import type { Pod } from '../k8s/pod';
import { EVENT_HISTORY, TOMBSTONE_MS } from './schema';

export interface PodRow {
  name: string;
  uid: string;
  jdPodId: string | null;
  rv: number;
  pod: Pod;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: WatchEventType;
  name: string;
  object: Pod;
}

/**
 * What a guaranteed update writes (see `NamespaceStore.update`): a new version of the pod, or its
 * deletion; `jdPodId` when JD Cloud's id for it changes (absent: unchanged).
 */
export interface RowChange {
  type: 'MODIFIED' | 'DELETED';
  pod: Pod;
  jdPodId?: string | null;
}

type RowHead = { name: string; uid: string; jd_pod_id: string | null; rv: number };

/** Freezes `value` and everything in it: a stored pod is changed by copying, never in place. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class Rows {
  /**
   * Parsed pods by name, each with the resourceVersion it was stored at. A row's JSON never
   * changes under one resourceVersion (a commit writes a new one, and versions never repeat,
   * not even after a wipe), so reads reuse the Pod instead of parsing its JSON again: a LIST of
   * 100 pods used to parse 100. Frozen, so a change in place fails loudly instead of leaking
   * into later reads.
   */
  private readonly parsed = new Map<string, { rv: number; pod: Pod }>();

  constructor(private readonly sql: SqlStorage) {}

  private toRow(head: RowHead): PodRow {
    let cached = this.parsed.get(head.name);
    if (cached?.rv !== head.rv) {
      const { pod } = this.sql
        .exec<{ pod: string }>('SELECT pod FROM pods WHERE name = ?', head.name)
        .one();
      cached = { rv: head.rv, pod: deepFreeze(JSON.parse(pod) as Pod) };
      this.parsed.set(head.name, cached);
    }
    return {
      name: head.name,
      uid: head.uid,
      jdPodId: head.jd_pod_id,
      rv: head.rv,
      pod: cached.pod,
    };
  }

  meta(key: string): string | undefined {
    return this.sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)
      .toArray()[0]?.value;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  /**
   * The namespace's current resourceVersion. A fresh (or wiped) store starts counting from the
   * clock in microseconds, so a resourceVersion handed out before a loss of state is never handed
   * out again, and a watch resuming from one is refused as too old instead of silently waiting.
   */
  currentRv(): number {
    const known = this.meta('rv');
    if (known !== undefined) return Number(known);
    const start = Date.now() * 1000;
    this.setMeta('rv', String(start));
    return start;
  }

  /** The oldest resourceVersion a watch can still start after. */
  oldestEventRv(): number {
    const row = this.sql.exec<{ rv: number }>('SELECT MIN(rv) AS rv FROM events').toArray()[0];
    return row?.rv ?? this.currentRv() + 1;
  }

  get(name: string): PodRow | undefined {
    const head = this.sql
      .exec<RowHead>('SELECT name, uid, jd_pod_id, rv FROM pods WHERE name = ?', name)
      .toArray()[0];
    if (!head) this.parsed.delete(name);
    return head && this.toRow(head);
  }

  count(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM pods').one().n;
  }

  all(): PodRow[] {
    const heads = this.sql
      .exec<RowHead>('SELECT name, uid, jd_pod_id, rv FROM pods ORDER BY name')
      .toArray();
    if (this.parsed.size > heads.length) {
      const names = new Set(heads.map((h) => h.name));
      for (const name of this.parsed.keys()) if (!names.has(name)) this.parsed.delete(name);
    }
    return heads.map((head) => this.toRow(head));
  }

  /**
   * Writes `pod` under a new resourceVersion and records the watch event, in one transaction
   * (a Durable Object's synchronous SQL calls commit together). Returns the stored Pod.
   */
  commit(
    type: WatchEventType,
    pod: Pod,
    fields: { uid: string; jdPodId: string | null },
  ): { pod: Pod; event: StoredEvent } {
    const name = pod.metadata.name as string;
    const rv = this.currentRv() + 1;
    this.setMeta('rv', String(rv));
    const stored: Pod = { ...pod, metadata: { ...pod.metadata, resourceVersion: String(rv) } };
    const json = JSON.stringify(stored);
    if (type === 'DELETED') {
      this.sql.exec('DELETE FROM pods WHERE name = ?', name);
      this.sql.exec('DELETE FROM operations WHERE name = ?', name);
      this.parsed.delete(name);
      if (fields.jdPodId) this.entomb(fields.jdPodId);
    } else {
      this.sql.exec(
        `INSERT INTO pods (name, uid, jd_pod_id, rv, pod) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET uid = excluded.uid, jd_pod_id = excluded.jd_pod_id,
           rv = excluded.rv, pod = excluded.pod`,
        name,
        fields.uid,
        fields.jdPodId,
        rv,
        json,
      );
    }
    this.sql.exec(
      'INSERT INTO events (rv, type, name, object) VALUES (?, ?, ?, ?)',
      rv,
      type,
      name,
      json,
    );
    this.sql.exec('DELETE FROM events WHERE rv <= ?', rv - EVENT_HISTORY);
    return { pod: stored, event: { rv, type, name, object: stored } };
  }

  /** Remembers that JD pod `jdPodId` is deleted (see `isTombstoned`); forgets old ones. */
  private entomb(jdPodId: string): void {
    const now = Date.now();
    this.sql.exec(
      'INSERT INTO tombstones (jd_pod_id, at) VALUES (?, ?) ON CONFLICT(jd_pod_id) DO UPDATE SET at = excluded.at',
      jdPodId,
      now,
    );
    this.sql.exec('DELETE FROM tombstones WHERE at < ?', now - TOMBSTONE_MS);
  }

  /**
   * True when JD pod `jdPodId` was deleted here. A listing whose answer was produced before the
   * deletion still shows the pod; adopting it would bring back a pod whose DELETED event was
   * already sent, and nothing would ever delete it again.
   */
  isTombstoned(jdPodId: string): boolean {
    return (
      this.sql.exec('SELECT 1 FROM tombstones WHERE jd_pod_id = ?', jdPodId).toArray().length > 0
    );
  }

  /** The last recorded event of pod `name` at or before `rv`, if the history still has it. */
  eventAtOrBefore(name: string, rv: number): StoredEvent | undefined {
    const e = this.sql
      .exec<{ rv: number; type: WatchEventType; name: string; object: string }>(
        'SELECT * FROM events WHERE name = ? AND rv <= ? ORDER BY rv DESC LIMIT 1',
        name,
        rv,
      )
      .toArray()[0];
    return e && { rv: e.rv, type: e.type, name: e.name, object: JSON.parse(e.object) as Pod };
  }

  /** Watch history after `rv`, oldest first. */
  eventsAfter(rv: number): StoredEvent[] {
    return this.sql
      .exec<{ rv: number; type: WatchEventType; name: string; object: string }>(
        'SELECT * FROM events WHERE rv > ? ORDER BY rv',
        rv,
      )
      .toArray()
      .map((e) => ({ rv: e.rv, type: e.type, name: e.name, object: JSON.parse(e.object) as Pod }));
  }
}
