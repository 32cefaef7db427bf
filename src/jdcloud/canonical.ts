/**
 * Canonical forms of a request for JDCLOUD2/JDCLOUD3 signatures (reference §6): URI, query
 * string and headers. Signer and verifier both go through these, so they cannot disagree.
 */
import type { SignatureAlgorithm } from './signature';

const encoder = new TextEncoder();

/**
 * Percent-encodes everything but the RFC 3986 unreserved set `A-Za-z0-9-_.~`.
 * `encodeURIComponent` leaves `!'()*` alone, so those are encoded on top, as the SDK does.
 */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Percent-decodes like Node's `querystring.unescape`: a malformed `%` stays literal
 * (the official doc example signs `o=%` as `o=%25`) instead of throwing.
 */
function percentDecode(text: string, plusAsSpace: boolean): string {
  const input = plusAsSpace ? text.replaceAll('+', ' ') : text;
  if (!input.includes('%')) return input;
  try {
    return decodeURIComponent(input);
  } catch {
    const bytes: number[] = [];
    for (let i = 0; i < input.length; ) {
      const hex = input.slice(i + 1, i + 3);
      if (input[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        i += 3;
      } else {
        const cp = input.codePointAt(i) ?? 0;
        const ch = String.fromCodePoint(cp);
        bytes.push(...encoder.encode(ch));
        i += ch.length;
      }
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

/**
 * The canonical URI: each `/` segment percent-decoded, then re-encoded keeping only unreserved
 * characters, so a raw `:` and a sent `%3A` both become `%3A`. Idempotent.
 * JDCLOUD3 (Python SDK) also decodes `+` as space, collapses `//` and maps an empty path to `/`.
 */
export function canonicalUri(path: string, algorithm: SignatureAlgorithm = 'JDCLOUD2'): string {
  if (algorithm === 'JDCLOUD3') {
    const collapsed = path.replace(/\/{2,}/g, '/');
    const escaped = collapsed
      .split('/')
      .map((segment) => uriEscape(percentDecode(segment, true)))
      .join('/');
    return escaped.startsWith('/') ? escaped : `/${escaped}`;
  }
  return path
    .split('/')
    .map((segment) => uriEscape(percentDecode(segment, false)))
    .join('/');
}

/**
 * The canonical query string, as the JS SDK's `search()` builds it: split on `&` and the first
 * `=`, decode (`+` is a space), sort the decoded keys, re-encode keys and values with
 * {@link uriEscape}; a repeated key lists its encoded values sorted. `''` for no query.
 * JDCLOUD3 sorts encoded (key, value) pairs and drops empty keys and items without `=`.
 */
export function canonicalQuery(
  rawQuery: string,
  algorithm: SignatureAlgorithm = 'JDCLOUD2',
): string {
  const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  if (query === '') return '';
  const pairs: [string, string][] = [];
  for (const item of query.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (algorithm === 'JDCLOUD3' && eq <= 0) continue;
    const key = percentDecode(eq < 0 ? item : item.slice(0, eq), true);
    const value = eq < 0 ? '' : percentDecode(item.slice(eq + 1), true);
    pairs.push([key, value]);
  }
  if (algorithm === 'JDCLOUD3') {
    return pairs
      .map(([k, v]) => [uriEscape(k), uriEscape(v)] as const)
      .sort(([ka, va], [kb, vb]) => compare(ka, kb) || compare(va, vb))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  }
  const byKey = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const values = byKey.get(key);
    if (values) values.push(value);
    else byKey.set(key, [value]);
  }
  return [...byKey.keys()]
    .sort()
    .map((key) => {
      const escapedKey = uriEscape(key);
      const values = (byKey.get(key) ?? []).map(uriEscape).sort();
      return values.map((v) => `${escapedKey}=${v}`).join('&');
    })
    .join('&');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A header value as signed: runs of whitespace become one space, ends trimmed. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The canonical headers block: one `name:value\n` line per signed header, in the order given
 * (signers sort the list; verifiers use the declared order). A missing header signs as empty.
 * @param headers lowercase header name → value (several values already joined with `,`)
 */
export function canonicalHeaders(
  headers: Readonly<Record<string, string>>,
  signedHeaders: readonly string[],
): string {
  return signedHeaders
    .map((name) => `${name}:${canonicalHeaderValue(headers[name] ?? '')}\n`)
    .join('');
}
