import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://podgate.test${path}`, init));

describe('app shell', () => {
  it('answers /healthz with 200', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is ready with the local configuration', async () => {
    const res = await call('/readyz');
    expect(res.status).toBe(200);
  });

  it('answers an unknown path with a 404 Kubernetes Status', async () => {
    const res = await call('/no/such/path');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      code: 404,
    });
  });

  it("gives every response the gateway's own request id, whatever the caller sent", async () => {
    const generated = await call('/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A caller's id is recorded apart in the audit line (clientRequestId), never taken as ours.
    const supplied = await call('/healthz', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(supplied.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(supplied.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
