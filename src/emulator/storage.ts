/**
 * The emulator's SQLite schema (one Durable Object, so every table is global) and typed access.
 *
 * | table          | key                    | holds                                                  |
 * |----------------|------------------------|--------------------------------------------------------|
 * | settings       | key                    | clock offset, transition ms, quota overrides (JSON)    |
 * | pods           | pod_id                 | a `PodRecord` as JSON, with region and name for lookup |
 * | client_tokens  | region_id, token       | the createPods result first returned for that token    |
 * | nonces         | nonce                  | when a signature nonce was first seen (replay window)  |
 * | faults         | id (FIFO)              | injected failures still to serve, per operation        |
 * | calls          | id (FIFO)              | the call log: every JD operation served                |
 * | secrets        | region_id, name        | docker-registry secrets                                |
 * | config_files   | region_id, name        | configFiles                                            |
 * | execs          | exec_id                | exec sessions and their exit codes                     |
 */
import type { FaultAction } from './faults';
import type { PodRecord } from './lifecycle';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pods (
  pod_id TEXT PRIMARY KEY, region_id TEXT NOT NULL, name TEXT NOT NULL,
  create_time INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pods_by_region ON pods (region_id, create_time);
CREATE TABLE IF NOT EXISTS client_tokens (
  region_id TEXT NOT NULL, token TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (region_id, token));
CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, seen_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS nonces_by_age ON nonces (seen_at);
CREATE TABLE IF NOT EXISTS faults (
  id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL, remaining INTEGER NOT NULL,
  action TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS calls (
  id INTEGER PRIMARY KEY AUTOINCREMENT, operation TEXT NOT NULL, region_id TEXT NOT NULL,
  method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL, fault TEXT, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS secrets (
  region_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (region_id, name));
CREATE TABLE IF NOT EXISTS config_files (
  region_id TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (region_id, name));
CREATE TABLE IF NOT EXISTS execs (exec_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
`;

const TABLES = [
  'settings',
  'pods',
  'client_tokens',
  'nonces',
  'faults',
  'calls',
  'secrets',
  'config_files',
  'execs',
];

/** Calls kept in the log (enough for minutes at JD's 1000 calls/min); older ones are dropped. */
const CALL_LOG_SIZE = 20_000;

/** One entry of the call log (`GET /__emulator/calls`). */
export interface CallRecord {
  operation: string;
  regionId: string;
  method: string;
  path: string;
  status: number;
  fault: string | null;
  at: string;
}

/** Typed access to the emulator's tables. Synchronous: SQLite in a Durable Object is. */
export class EmulatorStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.sql
      .exec<{ value: string }>('SELECT value FROM settings WHERE key = ?', key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  putSetting(key: string, value: unknown): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)',
      key,
      JSON.stringify(value),
    );
  }

  deleteSetting(key: string): void {
    this.sql.exec('DELETE FROM settings WHERE key = ?', key);
  }

  getPod(podId: string): PodRecord | undefined {
    const row = this.sql
      .exec<{ doc: string }>('SELECT doc FROM pods WHERE pod_id = ?', podId)
      .toArray()[0];
    return row ? (JSON.parse(row.doc) as PodRecord) : undefined;
  }

  /** Pods of a region, oldest first. */
  listPods(regionId: string): PodRecord[] {
    return this.sql
      .exec<{ doc: string }>(
        'SELECT doc FROM pods WHERE region_id = ? ORDER BY create_time, pod_id',
        regionId,
      )
      .toArray()
      .map((row) => JSON.parse(row.doc) as PodRecord);
  }

  putPod(pod: PodRecord): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO pods (pod_id, region_id, name, create_time, doc) VALUES (?, ?, ?, ?, ?)',
      pod.podId,
      pod.regionId,
      pod.spec.name,
      pod.createTime,
      JSON.stringify(pod),
    );
  }

  deletePod(podId: string): void {
    this.sql.exec('DELETE FROM pods WHERE pod_id = ?', podId);
  }

  getClientToken(regionId: string, token: string): { podIds: string[] } | undefined {
    const row = this.sql
      .exec<{ result: string }>(
        'SELECT result FROM client_tokens WHERE region_id = ? AND token = ?',
        regionId,
        token,
      )
      .toArray()[0];
    return row ? (JSON.parse(row.result) as { podIds: string[] }) : undefined;
  }

  putClientToken(regionId: string, token: string, result: { podIds: string[] }): void {
    this.sql.exec(
      'INSERT INTO client_tokens (region_id, token, result) VALUES (?, ?, ?)',
      regionId,
      token,
      JSON.stringify(result),
    );
  }

  /**
   * Records a nonce; `false` if it was already seen. Nonces older than `forgetBefore` are
   * dropped first: their signatures are outside the clock-skew window anyway.
   */
  rememberNonce(nonce: string, now: number, forgetBefore: number): boolean {
    this.sql.exec('DELETE FROM nonces WHERE seen_at < ?', forgetBefore);
    const inserted = this.sql.exec(
      'INSERT OR IGNORE INTO nonces (nonce, seen_at) VALUES (?, ?)',
      nonce,
      now,
    );
    return inserted.rowsWritten > 0;
  }

  addFault(operation: string, count: number, action: FaultAction): void {
    this.sql.exec(
      'INSERT INTO faults (operation, remaining, action) VALUES (?, ?, ?)',
      operation,
      count,
      JSON.stringify(action),
    );
  }

  /** Consumes one use of the oldest fault armed for `operation` (or for every operation, `*`). */
  takeFault(operation: string): FaultAction | undefined {
    const row = this.sql
      .exec<{ id: number; remaining: number; action: string }>(
        "SELECT id, remaining, action FROM faults WHERE operation IN (?, '*') ORDER BY id LIMIT 1",
        operation,
      )
      .toArray()[0];
    if (!row) return undefined;
    if (row.remaining <= 1) this.sql.exec('DELETE FROM faults WHERE id = ?', row.id);
    else this.sql.exec('UPDATE faults SET remaining = remaining - 1 WHERE id = ?', row.id);
    return JSON.parse(row.action) as FaultAction;
  }

  clearFaults(): void {
    this.sql.exec('DELETE FROM faults');
  }

  logCall(call: Omit<CallRecord, 'at'> & { at: number }): void {
    this.sql.exec(
      'INSERT INTO calls (operation, region_id, method, path, status, fault, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      call.operation,
      call.regionId,
      call.method,
      call.path,
      call.status,
      call.fault,
      call.at,
    );
    this.sql.exec('DELETE FROM calls WHERE id <= (SELECT MAX(id) FROM calls) - ?', CALL_LOG_SIZE);
  }

  listCalls(operation?: string): CallRecord[] {
    const rows = this.sql
      .exec<{
        operation: string;
        region_id: string;
        method: string;
        path: string;
        status: number;
        fault: string | null;
        at: number;
      }>(
        'SELECT operation, region_id, method, path, status, fault, at FROM calls WHERE ? IS NULL OR operation = ? ORDER BY id',
        operation ?? null,
        operation ?? null,
      )
      .toArray();
    return rows.map((r) => ({
      operation: r.operation,
      regionId: r.region_id,
      method: r.method,
      path: r.path,
      status: r.status,
      fault: r.fault,
      at: new Date(r.at).toISOString(),
    }));
  }

  clearCalls(): void {
    this.sql.exec('DELETE FROM calls');
  }

  /** A JSON document of a keyed table (`secrets`, `config_files`). */
  getDoc<T>(table: 'secrets' | 'config_files', regionId: string, name: string): T | undefined {
    const row = this.sql
      .exec<{ doc: string }>(
        `SELECT doc FROM ${table} WHERE region_id = ? AND name = ?`,
        regionId,
        name,
      )
      .toArray()[0];
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  listDocs<T>(table: 'secrets' | 'config_files', regionId: string): T[] {
    return this.sql
      .exec<{ doc: string }>(`SELECT doc FROM ${table} WHERE region_id = ? ORDER BY name`, regionId)
      .toArray()
      .map((row) => JSON.parse(row.doc) as T);
  }

  putDoc(table: 'secrets' | 'config_files', regionId: string, name: string, doc: unknown): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO ${table} (region_id, name, doc) VALUES (?, ?, ?)`,
      regionId,
      name,
      JSON.stringify(doc),
    );
  }

  deleteDoc(table: 'secrets' | 'config_files', regionId: string, name: string): void {
    this.sql.exec(`DELETE FROM ${table} WHERE region_id = ? AND name = ?`, regionId, name);
  }

  getExec<T>(execId: string): T | undefined {
    const row = this.sql
      .exec<{ doc: string }>('SELECT doc FROM execs WHERE exec_id = ?', execId)
      .toArray()[0];
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  putExec(execId: string, doc: unknown): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO execs (exec_id, doc) VALUES (?, ?)',
      execId,
      JSON.stringify(doc),
    );
  }

  /** Forgets everything: pods, tokens, nonces, faults, calls, settings. */
  reset(): void {
    for (const table of TABLES) this.sql.exec(`DELETE FROM ${table}`);
  }
}
