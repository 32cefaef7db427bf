/**
 * The same JD Cloud operations podgate makes, called straight at the emulator: each request
 * signed with podgate's own `signRequest` (JDCLOUD2-HMAC-SHA256, fresh date and nonce), as any
 * direct client must.
 */
import { signRequest } from '../../src/jdcloud/signature.ts';
import type { Shot } from './load.ts';

export const DEV_CREDENTIALS = { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' };

/** A signed JD request for `path` (query included) on the emulator at `origin`. */
export async function signedShot(
  origin: string,
  region: string,
  method: Shot['method'],
  path: string,
  body?: unknown,
): Promise<Shot> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = await signRequest({
    method,
    url: `${origin}${path}`,
    ...(text !== undefined ? { body: text } : {}),
    credentials: DEV_CREDENTIALS,
    region,
  });
  return { method, path, headers, ...(text !== undefined ? { body: text } : {}) };
}

/** describePod, as podgate's GET makes it. */
export const describePodPath = (region: string, podId: string) =>
  `/v1/regions/${region}/pods/${podId}`;

/** describePods page `page` of a namespace's pods (pageSize 100, name-prefix filter). */
export const describePodsPath = (region: string, namespace: string, page: number) =>
  `/v1/regions/${region}/pods?pageNumber=${page}&pageSize=100&filters.1.name=name&filters.1.values.1=${encodeURIComponent(`pg.${namespace}.`)}`;

/** Calls a JD operation once and returns its `result` (for setup, not for timing). */
export async function jdCall<T>(
  origin: string,
  region: string,
  method: Shot['method'],
  path: string,
  body?: unknown,
): Promise<T> {
  const shot = await signedShot(origin, region, method, path, body);
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: shot.headers,
    ...(shot.body !== undefined ? { body: shot.body } : {}),
  });
  const json = (await res.json()) as { result?: T; error?: unknown };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
  return json.result as T;
}
