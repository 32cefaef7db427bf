/**
 * JDCLOUD2/JDCLOUD3-HMAC-SHA256 request signatures: the pure core shared by the client
 * (which signs) and the emulator (which verifies).
 *
 * Only Web standard APIs (WebCrypto, TextEncoder), so it runs in Workers, Node and browsers.
 * The canonical forms reproduce what jdcloud-sdk-js 1.2.202 signs (src/lib/signers/v2.js);
 * see reference/jdcloud-pod-api.md §6.
 */

export type SignatureAlgorithm = 'JDCLOUD2' | 'JDCLOUD3';

import { canonicalHeaders, canonicalQuery, canonicalUri } from './canonical';

export {
  canonicalHeaders,
  canonicalHeaderValue,
  canonicalQuery,
  canonicalUri,
  uriEscape,
} from './canonical';

const encoder = new TextEncoder();

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

const bytesOf = (data: string | Uint8Array) =>
  typeof data === 'string' ? encoder.encode(data) : data;

/** Lowercase hex SHA-256 of a string (UTF-8) or bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytesOf(data) as BufferSource));
}

const importHmacKey = (raw: BufferSource) =>
  crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

async function hmac(key: BufferSource, data: string): Promise<ArrayBuffer> {
  return crypto.subtle.sign('HMAC', await importHmacKey(key), encoder.encode(data));
}

/** `jdcloud2_request` / `jdcloud3_request`: the credential scope terminator. */
export const scopeTerminator = (algorithm: SignatureAlgorithm) =>
  `${algorithm.toLowerCase()}_request`;

/**
 * The raw derived key chain kDate → kRegion → kService → kSigning, uncached. Exposed so tests can
 * compare each step with published vectors; signing uses the cached {@link signingKey}.
 */
export async function deriveSigningKeyChain(
  secretKey: string,
  date8: string,
  region: string,
  service: string,
  algorithm: SignatureAlgorithm = 'JDCLOUD2',
): Promise<{ kDate: string; kRegion: string; kService: string; kSigning: ArrayBuffer }> {
  const kDate = await hmac(encoder.encode(`${algorithm}${secretKey}`), date8);
  const kRegion = await hmac(kDate, region);
  const kService = await hmac(kRegion, service);
  const kSigning = await hmac(kService, scopeTerminator(algorithm));
  return { kDate: hex(kDate), kRegion: hex(kRegion), kService: hex(kService), kSigning };
}

const MAX_CACHED_KEYS = 64;
/** Derived keys by (secret fingerprint, date, region, service, algorithm); oldest evicted first. */
const signingKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The derived signing key as a non-extractable HMAC `CryptoKey`, cached so that a request does
 * not re-derive or re-import it. The cache is keyed by a SHA-256 fingerprint of the secret, so
 * the secret itself is never a key that could be listed or logged.
 */
export async function signingKey(
  secretKey: string,
  date8: string,
  region: string,
  service: string,
  algorithm: SignatureAlgorithm = 'JDCLOUD2',
): Promise<CryptoKey> {
  const fingerprint = await sha256Hex(`${algorithm}\n${secretKey}`);
  const cacheKey = [fingerprint, date8, region, service, algorithm].join('/');
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = deriveSigningKeyChain(secretKey, date8, region, service, algorithm).then((chain) =>
      importHmacKey(chain.kSigning),
    );
    // A failed derivation must not poison the cache.
    key.catch(() => signingKeys.delete(cacheKey));
    signingKeys.set(cacheKey, key);
    if (signingKeys.size > MAX_CACHED_KEYS) {
      const oldest = signingKeys.keys().next().value;
      if (oldest !== undefined) signingKeys.delete(oldest);
    }
  }
  return key;
}

/** How many derived keys are cached (for tests that check the cache serves). */
export const cachedSigningKeyCount = () => signingKeys.size;

/** The canonical pieces a signature covers. */
export interface SignatureInput {
  method: string;
  /** Already canonical: see {@link canonicalUri}. */
  canonicalUri: string;
  /** Already canonical: see {@link canonicalQuery}. */
  canonicalQuery: string;
  /** Lowercase header name → value. */
  headers: Readonly<Record<string, string>>;
  /** Lowercase names, in the order they are declared in `SignedHeaders`. */
  signedHeaders: readonly string[];
  /** Lowercase hex SHA-256 of the exact body bytes (of `''` when there is none). */
  bodyHash: string;
  /** `YYYYMMDDTHHMMSSZ`, the `x-jdcloud-date` value. */
  datetime: string;
  region: string;
  service: string;
  secretKey: string;
  algorithm?: SignatureAlgorithm;
}

/** The canonical request string (§6 step 6). */
export function canonicalRequest(input: Omit<SignatureInput, 'secretKey'>): string {
  return [
    input.method.toUpperCase(),
    input.canonicalUri,
    input.canonicalQuery,
    canonicalHeaders(input.headers, input.signedHeaders),
    input.signedHeaders.join(';'),
    input.bodyHash,
  ].join('\n');
}

/** `YYYYMMDD/{region}/{service}/jdcloud2_request`. */
export const credentialScope = (
  date8: string,
  region: string,
  service: string,
  algorithm: SignatureAlgorithm = 'JDCLOUD2',
) => `${date8}/${region}/${service}/${scopeTerminator(algorithm)}`;

/** The string to sign (§6 step 8). */
export async function stringToSign(input: Omit<SignatureInput, 'secretKey'>): Promise<string> {
  const algorithm = input.algorithm ?? 'JDCLOUD2';
  return [
    `${algorithm}-HMAC-SHA256`,
    input.datetime,
    credentialScope(input.datetime.slice(0, 8), input.region, input.service, algorithm),
    await sha256Hex(canonicalRequest(input)),
  ].join('\n');
}

/** The lowercase hex signature of a request's canonical pieces. */
export async function computeSignature(input: SignatureInput): Promise<string> {
  const algorithm = input.algorithm ?? 'JDCLOUD2';
  const key = await signingKey(
    input.secretKey,
    input.datetime.slice(0, 8),
    input.region,
    input.service,
    algorithm,
  );
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(await stringToSign(input))));
}

/** The fields of an `Authorization` header. */
export interface ParsedAuthorization {
  algorithm: SignatureAlgorithm;
  accessKeyId: string;
  date8: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^(JDCLOUD[23])-HMAC-SHA256\s+Credential=(.+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/(jdcloud[23]_request)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$/;

/**
 * Parses `JDCLOUD2-HMAC-SHA256 Credential=AK/20240102/cn-north-1/pod/jdcloud2_request,
 * SignedHeaders=a;b, Signature=hex`; `undefined` when the header does not have that shape.
 */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const m = AUTHORIZATION.exec(header.trim());
  if (!m) return undefined;
  const [, algorithm, accessKeyId, date8, region, service, terminator, signed, signature] = m;
  if (!algorithm || !accessKeyId || !date8 || !region || !service || !terminator) return undefined;
  if (!signed || !signature) return undefined;
  return {
    algorithm: algorithm as SignatureAlgorithm,
    accessKeyId,
    date8,
    region,
    service,
    terminator,
    signedHeaders: signed.split(';').map((h) => h.toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/** `2024-01-02T03:04:05.678Z` → `20240102T030405Z`. */
export const jdDatetime = (date: Date) => date.toISOString().replace(/[:-]|\.\d{3}/g, '');

/** Headers the JS SDK never signs. */
const UNSIGNED_HEADERS = new Set(['authorization', 'user-agent']);

/** What {@link signRequest} needs. */
export interface SignRequestInput {
  method: string;
  /** The URL exactly as it will be fetched (path already escaped, see {@link uriEscape}). */
  url: string | URL;
  headers?: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  service?: string;
  /** Injected in tests; defaults to now. */
  date?: Date;
  /** Injected in tests; defaults to a random UUID. */
  nonce?: string;
}

/**
 * Signs a request the way jdcloud-sdk-js does and returns the full header set to send:
 * the given headers plus `accept` and `content-type` (default `application/json`),
 * `x-jdcloud-date`, `x-jdcloud-nonce`, `host` and `authorization`. Every header but
 * `authorization` and `user-agent` is signed, so the SDK's list is
 * `accept;content-type;host;x-jdcloud-date;x-jdcloud-nonce`.
 */
export async function signRequest(input: SignRequestInput): Promise<Record<string, string>> {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const service = input.service ?? 'pod';
  const datetime = jdDatetime(input.date ?? new Date());
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(input.headers ?? {}))
    headers[name.toLowerCase()] = value;
  headers['x-jdcloud-date'] = datetime;
  headers['x-jdcloud-nonce'] = input.nonce ?? crypto.randomUUID();
  headers.host = url.host;
  const signedHeaders = Object.keys(headers)
    .filter((name) => name.includes('x-jdcloud-') || !UNSIGNED_HEADERS.has(name))
    .sort();
  const signature = await computeSignature({
    method: input.method,
    canonicalUri: canonicalUri(url.pathname),
    canonicalQuery: canonicalQuery(url.search),
    headers,
    signedHeaders,
    bodyHash: await sha256Hex(input.body ?? ''),
    datetime,
    region: input.region,
    service,
    secretKey: input.credentials.secretAccessKey,
  });
  headers.authorization =
    `JDCLOUD2-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/` +
    `${credentialScope(datetime.slice(0, 8), input.region, service)}, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}

/** A received request, as a verifier sees it. */
export interface ReceivedRequest {
  method: string;
  /** The path as received (escaped or not; it is canonicalised). */
  path: string;
  /** The raw query string, with or without the leading `?`. */
  query: string;
  /** Lowercase header name → value. */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes (`''` for none). */
  body: string | Uint8Array;
}

/**
 * The signature a received request should carry under its declared `Authorization`: the
 * server-side recipe of reference §6 (declared SignedHeaders, scope region and service, datetime
 * from `x-jdcloud-date`). Compare it with `auth.signature` in constant time.
 */
export async function expectedSignature(
  request: ReceivedRequest,
  auth: ParsedAuthorization,
  secretKey: string,
): Promise<string> {
  const contentSha = request.headers['x-jdcloud-content-sha256'];
  return computeSignature({
    method: request.method,
    canonicalUri: canonicalUri(request.path, auth.algorithm),
    canonicalQuery: canonicalQuery(request.query, auth.algorithm),
    headers: request.headers,
    signedHeaders: auth.signedHeaders,
    bodyHash:
      auth.algorithm === 'JDCLOUD3' && contentSha ? contentSha : await sha256Hex(request.body),
    datetime: request.headers['x-jdcloud-date'] ?? '',
    region: auth.region,
    service: auth.service,
    secretKey,
    algorithm: auth.algorithm,
  });
}
