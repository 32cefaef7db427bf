import { beforeEach, describe, expect, it } from 'vitest';
import { computeSignature, sha256Hex } from '../../src/jdcloud/signature';
import { control, jd, ORIGIN, send } from './helpers';

beforeEach(async () => {
  await control('POST', 'reset');
});

const quota = '/regions/cn-north-1/quotas';

describe('signature verification', () => {
  it('accepts a request signed with the dev credentials', async () => {
    const answer = await jd('GET', quota, { query: { resourceType: 'pod' } });
    expect(answer.status).toBe(200);
    expect(answer.body.result.quota).toEqual({ resourceType: 'pod', limit: 20, used: 0 });
  });

  it('refuses a request without Authorization, in JD envelope with the request id header', async () => {
    const answer = await send(new Request(`${ORIGIN}/v1${quota}?resourceType=pod`));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toEqual({
      code: 401,
      status: 'ACCESS_ERROR',
      message: 'lack of header authorization[gw]',
    });
    expect(answer.requestIdHeader).toBe(answer.body.requestId);
  });

  it('refuses an unknown access key and a wrong secret', async () => {
    const unknown = await jd('GET', quota, {
      query: { resourceType: 'pod' },
      credentials: { accessKeyId: 'someone-else', secretAccessKey: 'podgate-dev-sk' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.message).toMatch(/access key someone-else not found/);
    const wrong = await jd('GET', quota, {
      query: { resourceType: 'pod' },
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'not-the-secret' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.message).toMatch(/signature does not match/);
  });

  it('refuses a request whose signed query was changed after signing', async () => {
    const url = `${ORIGIN}/v1${quota}?resourceType=pod`;
    const { signRequest } = await import('../../src/jdcloud/signature');
    const headers = await signRequest({
      method: 'GET',
      url,
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
      region: 'cn-north-1',
    });
    const answer = await send(new Request(`${url}&extra=1`, { headers }));
    expect(answer.status).toBe(401);
  });

  it('refuses a replayed nonce', async () => {
    const url = `${ORIGIN}/v1${quota}?resourceType=pod`;
    const { signRequest } = await import('../../src/jdcloud/signature');
    const headers = await signRequest({
      method: 'GET',
      url,
      credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
      region: 'cn-north-1',
    });
    expect((await send(new Request(url, { headers }))).status).toBe(200);
    const replay = await send(new Request(url, { headers }));
    expect(replay.status).toBe(401);
    expect(replay.body.error?.message).toMatch(/nonce .* has already been used/);
  });

  it('refuses a date outside the 15-minute skew window', async () => {
    const { signRequest } = await import('../../src/jdcloud/signature');
    const url = `${ORIGIN}/v1${quota}?resourceType=pod`;
    const sign = (date: Date) =>
      signRequest({
        method: 'GET',
        url,
        credentials: { accessKeyId: 'podgate-dev-ak', secretAccessKey: 'podgate-dev-sk' },
        region: 'cn-north-1',
        date,
      });
    const stale = await send(
      new Request(url, { headers: await sign(new Date(Date.now() - 16 * 60_000)) }),
    );
    expect(stale.status).toBe(401);
    expect(stale.body.error?.message).toMatch(/expired/);
    const slightlyOff = await send(
      new Request(url, { headers: await sign(new Date(Date.now() + 10 * 60_000)) }),
    );
    expect(slightlyOff.status).toBe(200);
  });

  it('verifies over the declared SignedHeaders list (Go SDK style, no accept)', async () => {
    const url = new URL(`${ORIGIN}/v1${quota}?resourceType=pod`);
    const datetime = new Date().toISOString().replace(/[:-]|\.\d{3}/g, '');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      host: url.host,
      'x-jdcloud-date': datetime,
      'x-jdcloud-nonce': crypto.randomUUID(),
      'user-agent': 'JdcloudSdkGo/1.0 pod/2.7.0',
    };
    const signedHeaders = ['content-type', 'host', 'x-jdcloud-date', 'x-jdcloud-nonce'];
    const signature = await computeSignature({
      method: 'GET',
      canonicalUri: url.pathname,
      canonicalQuery: 'resourceType=pod',
      headers,
      signedHeaders,
      bodyHash: await sha256Hex(''),
      datetime,
      region: 'cn-north-1',
      service: 'pod',
      secretKey: 'podgate-dev-sk',
    });
    headers.authorization = `JDCLOUD2-HMAC-SHA256 Credential=podgate-dev-ak/${datetime.slice(0, 8)}/cn-north-1/pod/jdcloud2_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    // An unsigned header may change freely; a signed one may not.
    expect(
      (await send(new Request(url, { headers: { ...headers, accept: 'text/plain' } }))).status,
    ).toBe(200);
    const tampered = {
      ...headers,
      'content-type': 'text/plain',
      'x-jdcloud-nonce': crypto.randomUUID(),
    };
    expect((await send(new Request(url, { headers: tampered }))).status).toBe(401);
  });

  it('needs no signature for control endpoints', async () => {
    const res = await control('GET', 'clock');
    expect(res.status).toBe(200);
  });
});
