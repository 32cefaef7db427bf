/**
 * Drives the gateway Worker inside workerd for integration tests, with the JD Cloud emulator
 * as its backend (see vitest.config.ts): API calls, emulator control (clock, faults, call
 * log) and the namespace Durable Objects' alarms — so time moves only when a test says so.
 */

import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import type { Pod } from '../../src/k8s/pod';

export const ADMIN = 'podgate-dev-admin';
export const VIEWER = 'podgate-dev-viewer';
const EMULATOR = 'http://127.0.0.1:8788/__emulator';

export interface ApiOptions {
  body?: unknown;
  token?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

/** One request to the gateway, as an authenticated admin unless `token` says otherwise. */
export function api(method: string, path: string, options: ApiOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  const token = options.token === undefined ? ADMIN : options.token;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers.set('Content-Type', options.contentType ?? 'application/json');
  }
  return exports.default.fetch(
    new Request(`http://podgate.test${path}`, { method, headers, body }),
  );
}

/** `api` for a call expected to succeed with `status`, returning the parsed JSON body. */
export async function apiJson<T = Pod>(
  method: string,
  path: string,
  status: number,
  options: ApiOptions = {},
): Promise<T> {
  const res = await api(method, path, options);
  const text = await res.text();
  if (res.status !== status) {
    throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${EMULATOR}/${path}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A JD call the emulator has acted on and whose answer it holds (`holdAfter` fault). */
export interface HeldCall {
  id: number;
  operation: string;
  method: string;
  path: string;
  status: number;
  since: string;
}

export const emulator = {
  reset: () => control('POST', 'reset'),
  /** Moves the emulator's clock, completing every transition that is due by then. */
  advance: (ms: number) => control('POST', 'clock', { advanceMs: ms }),
  /** Completes every pending transition (they last an hour in tests). */
  settle: () => control('POST', 'clock', { advanceMs: 3_600_000 }),
  fault: (operation: string, spec: Record<string, unknown>) =>
    control('POST', 'faults', { operation, count: 1, ...spec }),
  clearFaults: () => control('DELETE', 'faults'),
  quota: (regionId: string, limit: number) =>
    control('PUT', 'quota', { regionId, resourceType: 'pod', limit }),
  async calls(operation?: string): Promise<{ operation: string; status: number }[]> {
    const body = (await control('GET', `calls${operation ? `?operation=${operation}` : ''}`)) as {
      calls: { operation: string; status: number }[];
    };
    return body.calls;
  },
  clearCalls: () => control('DELETE', 'calls'),
  /** The most calls the log shows in any window of `windowMs` (JD's rate limit: 60 s). */
  async maxCallsInWindow(windowMs = 60_000): Promise<number> {
    const body = (await control('GET', `calls/rate?windowMs=${windowMs}`)) as {
      maxInWindow: number;
    };
    return body.maxInWindow;
  },
  /** Held answers of `operation`, waiting up to `waitMs` for the first one. */
  async held(operation: string, waitMs = 0): Promise<HeldCall[]> {
    const body = (await control('GET', `held?operation=${operation}&waitMs=${waitMs}`)) as {
      held: HeldCall[];
    };
    return body.held;
  },
  release: (id: number) => control('POST', 'held/release', { id }),
  /** Overrides JD's rate limit (calls per minute, 0 = off), latency or transition length. */
  settings: (body: { callsPerMinute?: number; latencyMs?: number; transitionMs?: number }) =>
    control('PUT', 'settings', body),
  /** What a person does in JD's console: stop, start, delete or fail a pod, out of band. */
  console: (podId: string, action: 'stop' | 'start' | 'delete' | 'fail', body?: unknown) =>
    action === 'delete'
      ? control('DELETE', `pods/${podId}`)
      : control('POST', `pods/${podId}/${action}`, body ?? {}),
};

/**
 * Runs the namespace object's alarm if the journal has a step (the journal's next step); false
 * when it has none. (The alarm also carries the namespace's sync cadence while it is in use; that
 * is not a journal step, and it is not due within a test.)
 */
export async function runAlarm(namespace: string): Promise<boolean> {
  const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName(namespace));
  const steps = await runInDurableObject(stub, (_instance, state) =>
    state.storage.sql.exec('SELECT COUNT(*) AS n FROM operations').one(),
  );
  if (!steps.n) return false;
  return runDurableObjectAlarm(stub);
}

/** Evicts the namespace object from memory (as Cloudflare may at any time); storage stays. */
export function evictNamespace(namespace: string): Promise<void> {
  return evictDurableObject(env.NAMESPACES.get(env.NAMESPACES.idFromName(namespace)));
}

/** The JD operations the emulator served since the last `clearCalls`, in order. */
export async function jdOperations(): Promise<string[]> {
  return (await emulator.calls()).map((c) => c.operation);
}

/** A minimal valid pod manifest. */
export function podManifest(
  name: string,
  overrides: Partial<Pod['spec']> = {},
  labels?: Record<string, string>,
): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...overrides },
  };
}

/**
 * Creates pod `name` (nginx:1.25) in `default` and lets JD Cloud run it (the emulator's clock
 * moves past the transition): the create's answer and the pod as read once it runs.
 */
export async function createRunningPod(
  name = 'web',
  labels?: Record<string, string>,
): Promise<{ created: Pod; running: Pod }> {
  const path = '/api/v1/namespaces/default/pods';
  const created = await apiJson('POST', path, 201, { body: podManifest(name, {}, labels) });
  await emulator.settle();
  return { created, running: await apiJson('GET', `${path}/${name}`, 200) };
}

/** Forgets everything the namespace objects stored (pods, events, journal) and held, between tests. */
export async function resetGateway(namespaces = ['default', 'staging']): Promise<void> {
  for (const ns of namespaces) {
    const stub = env.NAMESPACES.get(env.NAMESPACES.idFromName(ns));
    await runInDurableObject(stub, async (_instance, state) => {
      for (const table of ['pods', 'events', 'kube_events', 'operations', 'meta']) {
        state.storage.sql.exec(`DELETE FROM ${table}`);
      }
      await state.storage.deleteAlarm();
    });
    // And what they held in memory (the reconciler's backoff, recent states, watchers).
    await evictDurableObject(stub);
  }
}
