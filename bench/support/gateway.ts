/** Requests to podgate as the local admin (config/local.env's dev token). */
import type { Shot } from './load.ts';

export const ADMIN = { authorization: 'Bearer podgate-dev-admin' };

export const podsPath = (namespace: string) => `/api/v1/namespaces/${namespace}/pods`;

export const podManifest = (name: string, image = 'nginx:1.25') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'bench' } },
  spec: { containers: [{ name: 'app', image }] },
});

export const gatewayShot = (
  method: Shot['method'],
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Shot => ({
  method,
  path,
  headers: { ...ADMIN, ...(body !== undefined ? { 'content-type': contentType } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

/** One request to podgate that must answer `expect`; returns the parsed body. */
export async function gatewayCall<T = unknown>(
  origin: string,
  shot: Shot,
  expect: number,
): Promise<T> {
  const res = await fetch(`${origin}${shot.path}`, {
    method: shot.method,
    headers: shot.headers,
    ...(shot.body !== undefined ? { body: shot.body } : {}),
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new Error(`${shot.method} ${shot.path}: expected ${expect}, got ${res.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}
