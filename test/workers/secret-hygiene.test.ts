/**
 * Secret hygiene over a whole session of use: every request a user makes in the Pod API's life
 * cycle (create, list, watch, read, logs, patch and the rollout it starts, stop/start, delete),
 * the refusals (401, 403, 404, 409, 415, 422) and JD Cloud outages, with every response body and
 * header and every log line the Worker wrote scanned for the JD keys and the static tokens, in
 * any encoding.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ADMIN,
  type ApiOptions,
  api,
  emulator,
  podManifest,
  resetGateway,
  runAlarm,
  VIEWER,
} from '../support/gateway';
import { type CapturedResponse, captureResponse, findLeaks } from '../support/leak-scan';

const NS = '/api/v1/namespaces/default/pods';

let logLines: string[];
let responses: CapturedResponse[];
beforeEach(async () => {
  await emulator.reset();
  await resetGateway();
  logLines = [];
  responses = [];
  for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

async function seen(method: string, path: string, options: ApiOptions = {}): Promise<Response> {
  const res = await api(method, path, options);
  responses.push(await captureResponse(`${method} ${path}`, res));
  return res;
}

describe('secret hygiene', () => {
  it('no response, header or log line of a full session carries a JD key or a token', async () => {
    const image = [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }];
    expect((await seen('POST', NS, { body: podManifest('web', {}, { app: 'web' }) })).status).toBe(
      201,
    );
    await emulator.settle();
    expect((await seen('GET', `${NS}?labelSelector=app%3Dweb`)).status).toBe(200);
    expect((await seen('GET', `${NS}/web`)).status).toBe(200);
    expect((await seen('GET', `${NS}/web/log?tailLines=3`)).status).toBe(200);
    expect((await seen('GET', `${NS}?watch=true&timeoutSeconds=1`)).status).toBe(200);
    const patch = { body: image, contentType: 'application/json-patch+json' };
    expect((await seen('PATCH', `${NS}/web`, patch)).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      await emulator.settle();
      await runAlarm('default');
    }
    expect((await seen('GET', `${NS}/web`)).status).toBe(200);
    expect((await seen('POST', `${NS}/web/stop`)).status).toBe(200);
    await emulator.settle();
    expect((await seen('POST', `${NS}/web/start`)).status).toBe(200);

    // Refusals of every kind.
    expect((await seen('GET', NS, { token: null })).status).toBe(401);
    expect((await seen('GET', NS, { token: 'not-a-token-at-all' })).status).toBe(401);
    expect((await seen('PATCH', `${NS}/web`, { ...patch, token: VIEWER })).status).toBe(403);
    expect((await seen('GET', `${NS}/missing`)).status).toBe(404);
    expect((await seen('POST', NS, { body: podManifest('web') })).status).toBe(409);
    expect(
      (await seen('PATCH', `${NS}/web`, { body: '{}', contentType: 'text/plain' })).status,
    ).toBe(415);
    const bad = podManifest('bad', { containers: [{ name: 'app', image: '' }] });
    expect((await seen('POST', NS, { body: bad })).status).toBe(422);

    // JD Cloud failing: its error messages and request ids reach the caller, the keys never do.
    await emulator.fault('describePods', { status: 500, count: 10 });
    await emulator.fault('describePod', { status: 500, count: 10 });
    // A read of a known pod is served from storage, JD's failure named in a Warning header.
    const stale = await seen('GET', `${NS}/web`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('warning')).toMatch(/could not refresh from JD Cloud/);
    await emulator.clearFaults();
    await emulator.fault('createPods', { status: 429, count: 10 });
    await seen('POST', NS, { body: podManifest('second') });
    await emulator.clearFaults();

    await emulator.settle();
    expect((await seen('DELETE', `${NS}/web`)).status).toBe(200);

    expect(responses).toHaveLength(19);
    expect(logLines.some((line) => line.includes('"event":"audit"'))).toBe(true);
    const leaks = findLeaks({
      secrets: {
        JDCLOUD_ACCESS_KEY_ID: env.JDCLOUD_ACCESS_KEY_ID,
        JDCLOUD_SECRET_ACCESS_KEY: env.JDCLOUD_SECRET_ACCESS_KEY,
        [ADMIN]: ADMIN,
        [VIEWER]: VIEWER,
      },
      responses,
      logLines,
    });
    expect(leaks).toEqual([]);
  });
});
