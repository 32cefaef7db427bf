/**
 * Helpers for the reliability suite (test/workers/reliability-*.test.ts): the fault matrix's
 * faults, JD Cloud's own view of the pods (to count duplicates and compare phases), driving the
 * operation journal without waiting for its backoff, and checks every cell shares.
 */

import { evictAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { configFor } from '../../src/config';
import { jdClientFromConfig } from '../../src/jdcloud/client';
import type { JdPod } from '../../src/jdcloud/models';
import type { Pod } from '../../src/k8s/pod';
import type { Status } from '../../src/k8s/status';
import type { NamespaceStore } from '../../src/store/namespace-store';
import { jdPodName } from '../../src/translate/jd-name';
import { emulator, resetGateway } from './gateway';

/** Attempts the JD client makes of a call that is safe to repeat (its retry policy). */
const CLIENT_ATTEMPTS = 4;

/**
 * The faults of the matrix. Each one lasts for more attempts than the client makes, so the
 * gateway itself has to cope (a single failure of a safe call is absorbed by the client's retry).
 * `slow` answers after the client has given up: JD Cloud did the work, the gateway never heard.
 */
export const FAULTS = {
  '429': { status: 429 },
  '500': { status: 500 },
  '503': { status: 503 },
  timeout: { hang: true, hangMs: 1_500 },
  drop: { drop: true },
  slow: { delayMs: 800 },
} as const satisfies Record<string, Record<string, unknown>>;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

let slowCallsArmed = false;

/** Arms `fault` for the next calls of `operation`, outlasting the client's retries. */
export function injectOutage(operation: string, fault: FaultName, count = CLIENT_ATTEMPTS) {
  if (fault === 'slow') slowCallsArmed = true;
  return emulator.fault(operation, { ...FAULTS[fault], count });
}

/**
 * A fresh start for a cell: JD Cloud and the namespace objects forgotten, the objects evicted
 * (no in-memory cache survives). A `slow` call of the last cell is still being served by the
 * emulator; it lands within its delay, so that much time is let pass first, or it would create
 * or change pods in the next cell.
 */
export async function freshCell(): Promise<void> {
  if (slowCallsArmed) await new Promise((resolve) => setTimeout(resolve, FAULTS.slow.delayMs));
  slowCallsArmed = false;
  await emulator.reset();
  await resetGateway();
  await evictAllDurableObjects();
}

const nsStub = (namespace: string) => env.NAMESPACES.get(env.NAMESPACES.idFromName(namespace));

/**
 * Runs every journaled step now, as the alarm would once its backoff has passed: the steps are
 * made due, then the object's alarm handler runs (called directly, so a real alarm that happens
 * to be running at that moment cannot make this a no-op). Repeats while steps remain, at most
 * `rounds` times.
 */
export async function driveJournal(namespace = 'default', rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const pending = await runInDurableObject(
      nsStub(namespace),
      async (instance: NamespaceStore, state) => {
        state.storage.sql.exec('UPDATE operations SET next_at = 0');
        const due = state.storage.sql
          .exec<{ n: number }>('SELECT COUNT(*) AS n FROM operations')
          .toArray()[0]?.n;
        if (due) await instance.alarm();
        return due;
      },
    );
    if (!pending) return;
  }
}

/** The operations journaled for `namespace`, as `name:kind`. */
export function journal(namespace = 'default'): Promise<string[]> {
  return runInDurableObject(nsStub(namespace), (_instance, state) =>
    state.storage.sql
      .exec<{ name: string; kind: string }>('SELECT name, kind FROM operations ORDER BY name')
      .toArray()
      .map((r) => `${r.name}:${r.kind}`),
  );
}

/** The watch events stored for `name` after resourceVersion `rv`, as their types. */
export function eventTypesAfter(name: string, rv = 0, namespace = 'default'): Promise<string[]> {
  return runInDurableObject(nsStub(namespace), (_instance, state) =>
    state.storage.sql
      .exec<{ type: string }>(
        'SELECT type FROM events WHERE name = ? AND rv > ? ORDER BY rv',
        name,
        rv,
      )
      .toArray()
      .map((r) => r.type),
  );
}

/**
 * JD Cloud's own pods named for `namespace/name` (signed calls straight to the emulator). Call
 * it after reading the emulator's call log: these calls are logged too.
 */
export async function jdPodsNamed(name: string, namespace = 'default'): Promise<JdPod[]> {
  const config = configFor(env);
  const jd = jdClientFromConfig(config.jdcloud);
  const regionId = config.namespaces.get(namespace)?.regionId;
  if (!jd || !regionId) throw new Error(`no JD client for namespace ${namespace}`);
  const jdName = jdPodName({ namespace, name });
  const page = await jd.describePods(regionId, {
    filters: [{ name: 'name', values: [jdName] }],
    pageSize: 100,
  });
  return page.pods.filter((p) => p.name === jdName);
}

/** Reads a JSON body, asserting that an error is a Kubernetes Status that says why. */
export async function answer(res: Response): Promise<{ code: number; body: Pod | Status }> {
  const text = await res.text();
  const body = JSON.parse(text) as Pod | Status;
  expect(res.status, text).toBeLessThan(600);
  if (res.status >= 400) {
    expect(body, text).toMatchObject({ kind: 'Status', status: 'Failure', code: res.status });
    expect((body as Status).message, text).toBeTruthy();
  }
  return { code: res.status, body };
}

/** Records every resourceVersion a test sees of one pod and checks they never go back. */
export class VersionTrail {
  private readonly seen: number[] = [];

  see(body: Pod | Status | undefined): void {
    const rv = (body as Pod | undefined)?.metadata?.resourceVersion;
    if (body && 'kind' in body && body.kind === 'Status') return;
    if (rv === undefined) return;
    const n = Number(rv);
    const last = this.seen[this.seen.length - 1];
    if (last !== undefined)
      expect(n, `resourceVersions ${this.seen.join(',')},${n}`).toBeGreaterThanOrEqual(last);
    this.seen.push(n);
  }
}
