/**
 * JD Cloud failures inside the store, and their Kubernetes Status at the edge.
 *
 * The store keeps a JD failure typed (`PodJdFailure`: the failure and the pod it was about) so
 * that one rule, the JD client's `isTransient`, decides everywhere whether it is worth retrying;
 * only when a result leaves the store (result.ts) does it become the closest Status. JD's
 * requestId stays in the message so support can trace a call; nothing from the request (headers,
 * keys) ever does.
 */
import { isJdCloudFailure, type JdCloudFailure } from '../jdcloud/errors';
import { isTransient } from '../jdcloud/retry';
import {
  alreadyExists,
  badRequest,
  conflictWithMessage,
  failure,
  forbidden,
  gatewayTimeout,
  notFound,
  StatusError,
  serviceUnavailable,
  tooManyRequests,
} from '../k8s/status';

/**
 * A thrown value's message, as operations record it (`lastError`, Status messages): for a JD
 * failure, the message of the Status a caller would see.
 */
export function describeError(error: unknown): string {
  const shown = asStatus(error);
  return shown instanceof Error ? shown.message : String(shown);
}

const traced = (text: string, requestId: string | undefined) =>
  requestId ? `${text} (JD Cloud requestId ${requestId})` : text;

/** Maps one JD Cloud failure about pod `name` to the Status the caller sees. */
export function statusFromJdFailure(error: JdCloudFailure, name: string): StatusError {
  switch (error.kind) {
    case 'timeout':
      return gatewayTimeout(`JD Cloud did not answer ${error.op} in time`, 5);
    case 'network':
      return serviceUnavailable(`JD Cloud is unreachable (${error.op})`, 5);
    case 'invalid-response':
      return serviceUnavailable(`JD Cloud sent an unexpected answer to ${error.op}`, 5);
  }
  const message = traced(error.jdMessage, error.requestId);
  switch (error.status) {
    case 'NOT_FOUND':
      return notFound(name);
    case 'ALREADY_EXISTS':
      return alreadyExists(name);
    case 'FAILED_PRECONDITION':
    case 'ABORTED':
      return conflictWithMessage(name, `JD Cloud refused ${error.op}: ${message}`);
    case 'QUOTA_EXCEEDED':
      return forbidden(name, `exceeded quota: ${message}`);
    case 'RATE_LIMIT':
      return tooManyRequests(
        `JD Cloud rate limit reached: ${message}`,
        error.retryAfterSeconds ?? 1,
      );
    case 'INVALID_ARGUMENT':
    case 'OUT_OF_RANGE':
      return badRequest(`JD Cloud rejected ${error.op}: ${message}`);
  }
  if (error.httpCode === 401 || error.httpCode === 403) return credentialsRefused(error);
  if (error.httpCode === 429) {
    return tooManyRequests(`JD Cloud rate limit reached: ${message}`, error.retryAfterSeconds ?? 1);
  }
  if (error.httpCode >= 500) {
    return serviceUnavailable(`JD Cloud is unavailable (${error.op}): ${message}`, 5);
  }
  return new StatusError(failure(error.httpCode, 'BadRequest', `JD Cloud ${error.op}: ${message}`));
}

/**
 * JD Cloud refused podgate's own credentials (a wrong or rotated secret, a revoked key): no
 * caller can fix that and no retry will, so it is not transient. 503 without Retry-After: the
 * gateway cannot serve the request until an operator fixes its secrets.
 */
function credentialsRefused(error: {
  op: string;
  jdMessage: string;
  requestId?: string | undefined;
}) {
  return serviceUnavailable(
    traced(
      `JD Cloud refused podgate's credentials (${error.op}: ${error.jdMessage}); an operator must fix JDCLOUD_ACCESS_KEY_ID / JDCLOUD_SECRET_ACCESS_KEY`,
      error.requestId,
    ),
  );
}

/** True when JD Cloud refused podgate's credentials (HTTP 401 or 403). */
export const isCredentialFailure = (failure: JdCloudFailure): boolean =>
  failure.kind === 'api' && (failure.httpCode === 401 || failure.httpCode === 403);

/** A typed JD Cloud failure of a call about one pod (or `subject`: a namespace, a catalogue). */
export class PodJdFailure extends Error {
  override readonly name = 'PodJdFailure';
  constructor(
    readonly failure: JdCloudFailure,
    readonly subject: string,
  ) {
    super(failure.message);
  }
}

/** The Status a store failure leaves the store as; anything that is not a JD failure unchanged. */
export function asStatus(error: unknown): unknown {
  if (error instanceof PodJdFailure) return statusFromJdFailure(error.failure, error.subject);
  return isJdCloudFailure(error) ? statusFromJdFailure(error, 'JD Cloud') : error;
}

/**
 * True when a failed JD call is worth repeating later: decided once, by the JD client's own
 * `isTransient` on the typed failure (network errors, timeouts, 429 rate limits, 5xx), never by
 * the Status a caller would see. A refused credential, a quota, a refusal are final.
 */
export const isRetryable = (error: unknown): boolean =>
  error instanceof PodJdFailure && isTransient(error.failure);
