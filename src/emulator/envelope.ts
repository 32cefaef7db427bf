/**
 * JD Cloud's response envelope: `{requestId, result}` on success, `{requestId, error}` on failure,
 * always with the `x-jdcloud-request-id` header (SDKs fall back to it when a body is not JSON).
 */

/** The status classes of JD Cloud's common error table, with their HTTP codes. */
export const JD_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  ACCESS_ERROR: 401,
  HTTP_FORBIDDEN: 403,
  NOT_FOUND: 404,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  QUOTA_EXCEEDED: 429,
  RATE_LIMIT: 429,
  CANCELLED: 499,
  UNKNOWN: 500,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  SOURCE_UNAVAILABLE: 502,
  UNAVAILABLE: 503,
} as const;

export type JdStatus = keyof typeof JD_STATUS;

/** An error that handlers throw; the request boundary renders it as JD's error envelope. */
export class JdError extends Error {
  constructor(
    readonly status: JdStatus,
    message: string,
    readonly code: number = JD_STATUS[status],
  ) {
    super(message);
    this.name = 'JdError';
  }
}

/** 400 INVALID_ARGUMENT naming the offending field, e.g. `podSpec.containers[0].image`. */
export const invalidArgument = (field: string, problem: string) =>
  new JdError('INVALID_ARGUMENT', `invalid parameter ${field}: ${problem}`);

export const notFound = (what: string) => new JdError('NOT_FOUND', `${what} not found`);

export const failedPrecondition = (message: string) => new JdError('FAILED_PRECONDITION', message);

/** The JD status class most likely meant by a bare HTTP code (used by fault injection). */
export function statusForCode(code: number): JdStatus {
  const preferred: Record<number, JdStatus> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    409: 'ABORTED',
    429: 'RATE_LIMIT',
    500: 'INTERNAL',
  };
  const found = Object.entries(JD_STATUS).find(([, c]) => c === code)?.[0] as JdStatus | undefined;
  return preferred[code] ?? found ?? 'UNKNOWN';
}

/** A JD-style request id: 32 lowercase alphanumerics, like `bbf8vinuw9142j3npttfgp2kg4vf9bj7`. */
export function newRequestId(): string {
  return randomToken(32);
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Random lowercase alphanumerics (ids for pods, requests, exec sessions). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

const headers = (requestId: string) => ({
  'content-type': 'application/json; charset=utf-8',
  'x-jdcloud-request-id': requestId,
});

/** 200 `{requestId, result}`. */
export function resultResponse(requestId: string, result: unknown): Response {
  return new Response(JSON.stringify({ requestId, result }), {
    status: 200,
    headers: headers(requestId),
  });
}

/** `{requestId, error: {code, status, message}}` with `code` as the HTTP status. */
export function errorResponse(requestId: string, error: JdError): Response {
  const body = {
    requestId,
    error: { code: error.code, status: error.status, message: error.message },
  };
  return new Response(JSON.stringify(body), { status: error.code, headers: headers(requestId) });
}
