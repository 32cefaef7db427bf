/**
 * Storage schema of a namespace's Durable Object (SQLite). One object per Kubernetes namespace.
 *
 * | table        | one row per             | holds                                                        |
 * |--------------|-------------------------|--------------------------------------------------------------|
 * | `meta`       | setting                 | `namespace` (this object's name), `rv` (last resourceVersion) |
 * | `pods`       | pod name                | uid, JD podId (null while createPods is in flight), the Pod   |
 * |              |                         | JSON as last written/observed (metadata, desired spec, status)|
 * | `events`     | resourceVersion         | watch history: ADDED/MODIFIED/DELETED with the Pod JSON       |
 * | `operations` | pod name                | the journal of the pod's in-flight operation (create, delete, |
 * |              |                         | rollout, stop, start): its plan, step, attempts, next run time |
 * | `tombstones` | JD podId                | JD pods whose deletion was committed, and when (kept an hour): |
 * |              |                         | a listing answered before the deletion never brings one back  |
 * | `kube_events`| Kubernetes Event name   | the core/v1 Event JSON (events.ts): its series key (object,   |
 * |              |                         | field path, type, reason, message: a repeat is counted on the |
 * |              |                         | same row), resourceVersion (the namespace's counter), the     |
 * |              |                         | version it was created at, when last seen (kept an hour, at   |
 * |              |                         | most 1000 per namespace)                                      |
 *
 * JD Cloud credentials are never stored: the object reads them from its env at run time.
 * Everything JD Cloud itself knows (existence, images, phase, IPs) is re-read from JD Cloud;
 * the rows keep only what JD Cloud cannot (Kubernetes identity, labels, annotations, journal).
 */

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS pods (
     name TEXT PRIMARY KEY,
     uid TEXT NOT NULL,
     jd_pod_id TEXT,
     rv INTEGER NOT NULL,
     pod TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS events (
     rv INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     name TEXT NOT NULL,
     object TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS operations (
     name TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     journal TEXT NOT NULL,
     next_at INTEGER NOT NULL
   );`,
  `CREATE TABLE IF NOT EXISTS tombstones (jd_pod_id TEXT PRIMARY KEY, at INTEGER NOT NULL);`,
  `CREATE TABLE IF NOT EXISTS kube_events (
     name TEXT PRIMARY KEY,
     series_key TEXT NOT NULL UNIQUE,
     rv INTEGER NOT NULL,
     created_rv INTEGER NOT NULL,
     last_at INTEGER NOT NULL,
     event TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS kube_events_rv ON kube_events (rv);
   CREATE INDEX IF NOT EXISTS kube_events_last_at ON kube_events (last_at);`,
];

/** How long a deleted JD pod is remembered (longer than any listing can take). */
export const TOMBSTONE_MS = 60 * 60_000;

/** How many watch events are kept; older resourceVersions answer 410 Expired. */
export const EVENT_HISTORY = 1000;

/** Brings the schema up to date; safe to run on every construction. */
export function migrate(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = sql.exec<{ version: number }>('SELECT version FROM schema_version').toArray()[0];
  const current = row?.version ?? 0;
  for (let v = current; v < MIGRATIONS.length; v++) sql.exec(MIGRATIONS[v] as string);
  if (!row) sql.exec('INSERT INTO schema_version (version) VALUES (?)', MIGRATIONS.length);
  else if (current < MIGRATIONS.length)
    sql.exec('UPDATE schema_version SET version = ?', MIGRATIONS.length);
}
