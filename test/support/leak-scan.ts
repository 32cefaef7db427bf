/**
 * Finds secrets where they must never be: response bodies, response headers and log lines.
 * A secret counts as leaked in any of the forms it could travel in: as is, URL- or form-encoded,
 * JSON-escaped, hex, or base64/base64url, including inside a longer base64 blob (`user:secret`)
 * at any byte alignment. Reports name the secret and the place, never the secret itself.
 */

/** A response captured for scanning (bodies are streams, so capture them once). */
export interface CapturedResponse {
  /** Where it came from, e.g. `PATCH /api/v1/namespaces/default/pods/web`. */
  where: string;
  headers: [string, string][];
  body: string;
}

export interface Leak {
  secret: string;
  encoding: string;
  where: string;
}

/** Reads a response for the scanner without consuming the caller's copy. */
export async function captureResponse(
  where: string,
  response: Response,
): Promise<CapturedResponse> {
  return { where, headers: [...response.headers], body: await response.clone().text() };
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const toBase64Url = (b64: string) => b64.replaceAll('+', '-').replaceAll('/', '_');

/** Every form `value` may take, with a label for the report. */
export function encodingsOf(value: string): { encoding: string; text: string }[] {
  const bytes = new TextEncoder().encode(value);
  const forms = [
    { encoding: 'plain', text: value },
    { encoding: 'url-encoded', text: encodeURIComponent(value) },
    { encoding: 'form-encoded', text: new URLSearchParams({ v: value }).toString().slice(2) },
    { encoding: 'json-escaped', text: JSON.stringify(value).slice(1, -1) },
    { encoding: 'hex', text: [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('') },
  ];
  // Inside a longer base64 text the secret starts at one of three byte alignments; for each,
  // the characters covering whole 3-byte groups of the secret are fixed whatever surrounds them.
  for (let skip = 0; skip < 3; skip++) {
    const groups = Math.floor((bytes.length - skip) / 3);
    if (groups < 2) continue;
    const b64 = toBase64(bytes.subarray(skip, skip + groups * 3));
    forms.push({ encoding: `base64 (offset ${skip})`, text: b64 });
    forms.push({ encoding: `base64url (offset ${skip})`, text: toBase64Url(b64) });
  }
  const seen = new Set<string>();
  return forms.filter((f) => f.text.length > 0 && !seen.has(f.text) && seen.add(f.text));
}

/** Secrets shorter than this would match by accident; the scan refuses them. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Every occurrence of every secret, in any form, in the captured responses and log lines.
 * `secrets` maps a name for the report (`JDCLOUD_SECRET_ACCESS_KEY`) to the value.
 */
export function findLeaks(input: {
  secrets: Record<string, string>;
  responses?: readonly CapturedResponse[];
  logLines?: readonly string[];
}): Leak[] {
  const places: { where: string; text: string }[] = [];
  for (const r of input.responses ?? []) {
    places.push({ where: `${r.where} body`, text: r.body });
    for (const [name, value] of r.headers) {
      places.push({ where: `${r.where} header ${name}`, text: `${name}: ${value}` });
    }
  }
  (input.logLines ?? []).forEach((line, i) => {
    places.push({ where: `log line ${i + 1}`, text: line });
  });

  const leaks: Leak[] = [];
  for (const [secret, value] of Object.entries(input.secrets)) {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(
        `leak scan: secret ${secret} is shorter than ${MIN_SECRET_LENGTH} characters`,
      );
    }
    for (const { encoding, text } of encodingsOf(value)) {
      const hexLike = encoding === 'hex';
      for (const place of places) {
        const haystack = hexLike ? place.text.toLowerCase() : place.text;
        if (haystack.includes(text)) leaks.push({ secret, encoding, where: place.where });
      }
    }
  }
  return leaks;
}
