import { describe, expect, it, vi } from 'vitest';
// A copy of reference/jdcloud-sign-vectors.json, kept beside the test so the repo is self-contained.
import vectors from './sign-vectors.json';
import {
  cachedSigningKeyCount,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  deriveSigningKeyChain,
  parseAuthorization,
  type SignatureAlgorithm,
  sha256Hex,
  signRequest,
  stringToSign,
} from './signature';

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

interface Case {
  ak: string;
  sk: string;
  datetime: string;
  region: string;
  service: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  signedHeaders: string[];
  body: string;
  algorithm?: SignatureAlgorithm;
}

/** Verifies a case exactly as a server would: canonicalise, sign, format Authorization. */
async function authorizationFor(c: Case): Promise<string> {
  const algorithm = c.algorithm ?? 'JDCLOUD2';
  const signature = await computeSignature({
    method: c.method,
    canonicalUri: canonicalUri(c.path, algorithm),
    canonicalQuery: canonicalQuery(c.query, algorithm),
    headers: c.headers,
    signedHeaders: c.signedHeaders,
    bodyHash: await sha256Hex(c.body),
    datetime: c.datetime,
    region: c.region,
    service: c.service,
    secretKey: c.sk,
    algorithm,
  });
  return (
    `${algorithm}-HMAC-SHA256 Credential=${c.ak}/${c.datetime.slice(0, 8)}/${c.region}/${c.service}/` +
    `${algorithm.toLowerCase()}_request, SignedHeaders=${c.signedHeaders.join(';')}, Signature=${signature}`
  );
}

const splitUrl = (url: string) => {
  const q = url.indexOf('?');
  const rest = url.replace(/^https?:\/\/[^/]+/, '');
  const qi = rest.indexOf('?');
  return { path: qi < 0 ? rest : rest.slice(0, qi), query: q < 0 ? '' : url.slice(q + 1) };
};

const signedOf = (authorization: string) => parseAuthorization(authorization)?.signedHeaders ?? [];

describe('published signature vectors', () => {
  it('official doc example: every intermediate step', async () => {
    const v = vectors.v2_official_doc;
    const { path, query } = splitUrl(v.url);
    const pieces = {
      method: v.method,
      canonicalUri: canonicalUri(path),
      canonicalQuery: canonicalQuery(query),
      headers: v.headers,
      signedHeaders: signedOf(v.authorization),
      bodyHash: await sha256Hex(v.body),
      datetime: v.datetime,
      region: v.region,
      service: v.service,
    };
    expect(canonicalRequest(pieces)).toBe(v.canonical_request);
    expect(await stringToSign(pieces)).toBe(v.string_to_sign);
    const chain = await deriveSigningKeyChain(v.sk, v.datetime.slice(0, 8), v.region, v.service);
    expect(chain.kDate).toBe(v.kDate);
    expect(chain.kRegion).toBe(v.kRegion);
    expect(chain.kService).toBe(v.kService);
    expect(hex(chain.kSigning)).toBe(v.kSigning);
    const c = { ...v, path, query, signedHeaders: pieces.signedHeaders };
    expect(await authorizationFor(c)).toBe(v.authorization);
  });

  it.each([
    ['cpp signer', vectors.v2_cpp_signer],
    ['rust signer', vectors.v2_rust_signer],
  ])('%s', async (_name, v) => {
    const { path, query } = splitUrl(v.url);
    const c = { ...v, path, query, signedHeaders: signedOf(v.authorization) };
    expect(await authorizationFor(c)).toBe(v.authorization);
  });

  it('rust signer derived key', async () => {
    const v = vectors.v2_rust_signer;
    const chain = await deriveSigningKeyChain(v.sk, '20180405', v.region, v.service);
    expect(hex(chain.kSigning)).toBe(v.kSigning);
  });

  it.each(['case_sign', 'case_backend'] as const)('go signer %s', async (which) => {
    const v = vectors.v2_go_signer;
    const k = v[which];
    const c = {
      ...v,
      method: k.method,
      body: k.body,
      path: v.path,
      query: v.canonical_query,
      headers: { ...v.headers, host: v.host },
      signedHeaders: k.signed.split(';'),
    };
    expect(await authorizationFor(c)).toBe(k.authorization);
  });

  it.each(vectors.v3_python_sdk_tests.cases)('JDCLOUD3 python %#', async (k) => {
    const v = vectors.v3_python_sdk_tests;
    const c: Case = {
      ...v,
      method: k.method,
      path: k.path,
      query: k.query,
      body: '',
      headers: { ...v.headers, host: v.host },
      signedHeaders: v.signed_headers.split(';'),
      algorithm: 'JDCLOUD3',
    };
    expect(parseAuthorization(await authorizationFor(c))?.signature).toBe(k.signature);
  });
});

describe('canonical forms', () => {
  it('canonicalUri encodes a raw colon and keeps a sent %3A, idempotently', () => {
    expect(canonicalUri('/v1/regions/cn-north-1/pods/p-1:rebuild')).toBe(
      '/v1/regions/cn-north-1/pods/p-1%3Arebuild',
    );
    expect(canonicalUri('/v1/pods/p-1%3Arebuild')).toBe('/v1/pods/p-1%3Arebuild');
    const once = canonicalUri("/a b/!'()*/é/%zz");
    expect(once).toBe('/a%20b/%21%27%28%29%2A/%C3%A9/%25zz');
    expect(canonicalUri(once)).toBe(once);
  });

  it('canonicalQuery decodes, sorts keys then values, and re-encodes unreserved-only', () => {
    expect(canonicalQuery('b=2&a=x+y&a=%21&c&d=')).toBe('a=%21&a=x%20y&b=2&c=&d=');
    expect(canonicalQuery('?q=a*b')).toBe('q=a%2Ab');
    expect(canonicalQuery('')).toBe('');
  });
});

describe('parseAuthorization', () => {
  it('reads every field and rejects other shapes', () => {
    expect(parseAuthorization(vectors.v2_go_signer.case_sign.authorization)).toEqual({
      algorithm: 'JDCLOUD2',
      accessKeyId: 'access key',
      date8: '20190214',
      region: 'cn-north-1',
      service: 'test',
      terminator: 'jdcloud2_request',
      signedHeaders: ['content-type', 'host', 'x-jdcloud-date', 'x-jdcloud-nonce'],
      signature: 'ab7f411c1af4d3938f69a24539572418fa4dcdb40e3c0dd4aa329fbca091688e',
    });
    expect(parseAuthorization('Bearer abc')).toBeUndefined();
    expect(
      parseAuthorization(
        'JDCLOUD2-HMAC-SHA256 Credential=ak/2019/x/y/z, SignedHeaders=a, Signature=00',
      ),
    ).toBeUndefined();
  });
});

describe('signRequest', () => {
  const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK-secret' };

  it('adds the SDK header set and a signature a verifier accepts', async () => {
    const headers = await signRequest({
      method: 'POST',
      url: 'https://pod.jdcloud-api.com/v1/regions/cn-north-1/pods/p-1%3AstopPod',
      body: '{}',
      credentials,
      region: 'cn-north-1',
      date: new Date('2024-01-02T03:04:05.678Z'),
      nonce: 'n-1',
    });
    expect(headers).toMatchObject({
      accept: 'application/json',
      'content-type': 'application/json',
      host: 'pod.jdcloud-api.com',
      'x-jdcloud-date': '20240102T030405Z',
      'x-jdcloud-nonce': 'n-1',
    });
    const auth = parseAuthorization(headers.authorization ?? '');
    expect(auth?.signedHeaders).toEqual([
      'accept',
      'content-type',
      'host',
      'x-jdcloud-date',
      'x-jdcloud-nonce',
    ]);
    const expected = await computeSignature({
      method: 'POST',
      canonicalUri: '/v1/regions/cn-north-1/pods/p-1%3AstopPod',
      canonicalQuery: '',
      headers,
      signedHeaders: auth?.signedHeaders ?? [],
      bodyHash: await sha256Hex('{}'),
      datetime: '20240102T030405Z',
      region: 'cn-north-1',
      service: 'pod',
      secretKey: 'SK-secret',
    });
    expect(auth?.signature).toBe(expected);
  });

  it('caches the derived key per (secret, date, region, service)', async () => {
    const sign = (region: string, date: string) =>
      signRequest({
        method: 'GET',
        url: 'https://h/x',
        credentials: { accessKeyId: 'A', secretAccessKey: 'cache-test' },
        region,
        date: new Date(date),
      });
    const before = cachedSigningKeyCount();
    await sign('cn-north-1', '2030-01-01T00:00:00Z');
    await sign('cn-north-1', '2030-01-01T12:00:00Z');
    await sign('cn-north-1', '2030-01-01T23:59:59Z');
    expect(cachedSigningKeyCount()).toBe(before + 1);
    await sign('cn-east-2', '2030-01-01T00:00:00Z');
    await sign('cn-north-1', '2030-01-02T00:00:00Z');
    expect(cachedSigningKeyCount()).toBe(before + 3);
  });

  it('imports no key when a cached one serves', async () => {
    const sign = () =>
      signRequest({
        method: 'GET',
        url: 'https://h/v1/regions/cn-south-1/pods',
        credentials: { accessKeyId: 'A', secretAccessKey: 'import-count' },
        region: 'cn-south-1',
        date: new Date('2031-06-01T10:00:00Z'),
      });
    await sign();
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    try {
      await sign();
      await sign();
      expect(importKey).not.toHaveBeenCalled();
    } finally {
      importKey.mockRestore();
    }
  });
});
