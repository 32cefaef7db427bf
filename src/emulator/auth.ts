/**
 * Verifies JDCLOUD2/JDCLOUD3-HMAC-SHA256 signatures the way JD Cloud's API gateway does
 * (reference §6, "server-side verification recipe"): the canonical pieces are rebuilt from the
 * request as received, over the header list the request *declares*, with the shared signing core.
 * Replay protection (remembering nonces) needs storage and is done by the caller.
 */
import {
  canonicalQuery,
  canonicalUri,
  computeSignature,
  parseAuthorization,
  sha256Hex,
} from '../jdcloud/signature';
import { JdError } from './envelope';

/** How far `x-jdcloud-date` may be from the emulator's wall clock. */
export const CLOCK_SKEW_MS = 15 * 60 * 1000;

/** What a verified request proves: who sent it, and the nonce to remember. */
export interface VerifiedCaller {
  accessKeyId: string;
  nonce: string;
  signedAt: number;
}

/** Gateway-level auth failures: JD renders them as 401 `ACCESS_ERROR` with a `[gw]` suffix. */
export const denied = (message: string) => new JdError('ACCESS_ERROR', `${message}[gw]`, 401);

/** `20240102T030405Z` → epoch ms, or `undefined` when malformed. */
export function parseJdDatetime(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks the `Authorization` header of `request` against `secretOf(accessKeyId)`.
 * @param body the exact body bytes received (hashed as signed)
 * @param wallClock real time in ms; the skew window is about signatures, not the emulated clock
 * @throws JdError 401 when the header is missing or malformed, the key unknown, the date
 *   outside ±15 minutes, or the signature does not match
 */
export async function verifyRequest(
  request: Request,
  body: Uint8Array,
  secretOf: (accessKeyId: string) => string | undefined,
  wallClock: number,
): Promise<VerifiedCaller> {
  const header = request.headers.get('authorization');
  if (!header) throw denied('lack of header authorization');
  const auth = parseAuthorization(header);
  if (!auth) throw denied('invalid header authorization');
  const secretKey = secretOf(auth.accessKeyId);
  if (secretKey === undefined) throw denied(`access key ${auth.accessKeyId} not found`);

  const datetime = request.headers.get('x-jdcloud-date') ?? '';
  const signedAt = parseJdDatetime(datetime);
  if (signedAt === undefined || !datetime.startsWith(auth.date8)) {
    throw denied('invalid header x-jdcloud-date');
  }
  if (Math.abs(wallClock - signedAt) > CLOCK_SKEW_MS) {
    throw denied('request expired: x-jdcloud-date is more than 15 minutes off');
  }
  const nonce = request.headers.get('x-jdcloud-nonce');
  if (!nonce) throw denied('lack of header x-jdcloud-nonce');

  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    // The Host header may differ from the URL workerd hands us (wrangler dev rewrites it).
    headers[name] = request.headers.get(name) ?? (name === 'host' ? url.host : '');
  }
  const contentHash = request.headers.get('x-jdcloud-content-sha256');
  const expected = await computeSignature({
    method: request.method,
    canonicalUri: canonicalUri(url.pathname, auth.algorithm),
    canonicalQuery: canonicalQuery(url.search, auth.algorithm),
    headers,
    signedHeaders: auth.signedHeaders,
    bodyHash: auth.algorithm === 'JDCLOUD3' && contentHash ? contentHash : await sha256Hex(body),
    datetime,
    region: auth.region,
    service: auth.service,
    secretKey,
    algorithm: auth.algorithm,
  });
  if (!timingSafeEqual(expected, auth.signature)) throw denied('signature does not match');
  return { accessKeyId: auth.accessKeyId, nonce, signedAt };
}

/** Compares two hex strings without an early exit. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
