/**
 * Typed failures of a JD Cloud call. Callers branch on `kind`:
 * - `api`: JD Cloud answered with its error envelope (or a non-2xx without one);
 * - `network`: the request never got an HTTP answer (DNS, TLS, reset, …);
 * - `timeout`: no answer within the call's timeout;
 * - `invalid-response`: a 2xx whose body is not the documented shape.
 *
 * Messages are built only from the operation name, the HTTP status and JD Cloud's own text,
 * never from request headers, so no credential can leak into an error, a log line or JSON.
 */

/** Every failure of a JD Cloud call. */
export type JdCloudFailure =
  | JdCloudError
  | JdNetworkError
  | JdTimeoutError
  | JdInvalidResponseError;

/** JD Cloud's error envelope `{requestId, error: {code, status, message}}`, as an exception. */
export class JdCloudError extends Error {
  readonly kind = 'api' as const;
  override readonly name = 'JdCloudError';

  constructor(
    /** The operation that failed, e.g. `stopPod`. */
    readonly op: string,
    /** `error.code`, the HTTP status JD Cloud reports (falls back to the response status). */
    readonly httpCode: number,
    /** `error.status`, e.g. `FAILED_PRECONDITION`, `NOT_FOUND`, `RATE_LIMIT`. */
    readonly status: string,
    /** JD Cloud's developer message (`error.message`). */
    readonly jdMessage: string,
    readonly requestId: string | undefined,
    /** Seconds from a `Retry-After` header, when JD Cloud sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(
      `JD Cloud ${op} failed: ${httpCode} ${status}: ${jdMessage}${requestId ? ` (requestId ${requestId})` : ''}`,
    );
  }

  toJSON() {
    return {
      kind: this.kind,
      op: this.op,
      httpCode: this.httpCode,
      status: this.status,
      message: this.jdMessage,
      requestId: this.requestId,
    };
  }
}

/** The transport failed before any HTTP answer arrived. */
export class JdNetworkError extends Error {
  readonly kind = 'network' as const;
  override readonly name = 'JdNetworkError';

  constructor(
    readonly op: string,
    /** The transport's own error name and message (e.g. `TypeError: fetch failed`). */
    readonly detail: string,
  ) {
    super(`JD Cloud ${op} failed: network error: ${detail}`);
  }

  toJSON() {
    return { kind: this.kind, op: this.op, detail: this.detail };
  }
}

/** No answer within the call's timeout; the request was aborted. */
export class JdTimeoutError extends Error {
  readonly kind = 'timeout' as const;
  override readonly name = 'JdTimeoutError';

  constructor(
    readonly op: string,
    readonly timeoutMs: number,
  ) {
    super(`JD Cloud ${op} timed out after ${timeoutMs} ms`);
  }

  toJSON() {
    return { kind: this.kind, op: this.op, timeoutMs: this.timeoutMs };
  }
}

/** A success status whose body did not match the documented response. */
export class JdInvalidResponseError extends Error {
  readonly kind = 'invalid-response' as const;
  override readonly name = 'JdInvalidResponseError';

  constructor(
    readonly op: string,
    readonly httpCode: number,
    /** What was wrong, e.g. a zod issue summary (never the raw body). */
    readonly detail: string,
    readonly requestId: string | undefined,
  ) {
    super(`JD Cloud ${op} returned an unexpected response (${httpCode}): ${detail}`);
  }

  toJSON() {
    return {
      kind: this.kind,
      op: this.op,
      httpCode: this.httpCode,
      detail: this.detail,
      requestId: this.requestId,
    };
  }
}

/** True for any typed JD Cloud failure. */
export function isJdCloudFailure(error: unknown): error is JdCloudFailure {
  return (
    error instanceof JdCloudError ||
    error instanceof JdNetworkError ||
    error instanceof JdTimeoutError ||
    error instanceof JdInvalidResponseError
  );
}

/** True when JD Cloud answered `status` (e.g. `isJdStatus(err, 'NOT_FOUND')`). */
export function isJdStatus(error: unknown, status: string): error is JdCloudError {
  return error instanceof JdCloudError && error.status === status;
}
