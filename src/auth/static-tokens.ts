/**
 * Static bearer tokens. Only their SHA-256 hashes are configured; a presented token is hashed
 * with WebCrypto and compared with every configured hash in constant time, so neither the
 * comparison nor the position of a match in the list shows in the response time.
 */
import type { Principal } from './principal';
import type { StaticTokenGrant } from './settings';

const encoder = new TextEncoder();

/** SHA-256 of a token as 32 bytes. */
async function sha256(token: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)));
}

const decoded = new WeakMap<readonly StaticTokenGrant[], Uint8Array[]>();

/** The configured hashes as bytes, decoded once per configuration (i.e. per isolate). */
function hashesOf(grants: readonly StaticTokenGrant[]): Uint8Array[] {
  let hashes = decoded.get(grants);
  if (!hashes) {
    hashes = grants.map((grant) => bytesOfHex(grant.sha256));
    decoded.set(grants, hashes);
  }
  return hashes;
}

function bytesOfHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Compares two byte strings without an early exit; different lengths never match. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * The principal a static token stands for, or `undefined` when no configured hash matches.
 * Every configured hash is compared, whatever matched earlier.
 */
export async function verifyStaticToken(
  token: string,
  grants: readonly StaticTokenGrant[],
): Promise<Principal | undefined> {
  if (grants.length === 0) return undefined;
  const presented = await sha256(token);
  const hashes = hashesOf(grants);
  let match: StaticTokenGrant | undefined;
  grants.forEach((grant, i) => {
    const equal = constantTimeEqual(presented, hashes[i] as Uint8Array);
    if (equal && !match) match = grant;
  });
  return match
    ? { name: match.name, role: match.role, namespaces: match.namespaces, via: 'token' }
    : undefined;
}
