/**
 * JD Cloud failures → the closest Kubernetes Status. JD's requestId stays in the message so
 * support can trace a call; nothing from the request (headers, keys) ever does.
 */
import { isJdCloudFailure, type JdCloudFailure } from '../jdcloud/errors';
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

/** A thrown value's message, as operations record it (`lastError`, Status messages). */
export const describeError = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

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
  if (error.httpCode === 401 || error.httpCode === 403) {
    return serviceUnavailable(
      traced(`JD Cloud refused podgate's credentials for ${error.op}`, error.requestId),
    );
  }
  if (error.httpCode === 429) {
    return tooManyRequests(`JD Cloud rate limit reached: ${message}`, error.retryAfterSeconds ?? 1);
  }
  if (error.httpCode >= 500) {
    return serviceUnavailable(`JD Cloud is unavailable (${error.op}): ${message}`, 5);
  }
  return new StatusError(failure(error.httpCode, 'BadRequest', `JD Cloud ${error.op}: ${message}`));
}

/** Rethrows a JD failure as its Status; anything else unchanged. */
export function asStatus(error: unknown, name: string): unknown {
  return isJdCloudFailure(error) ? statusFromJdFailure(error, name) : error;
}

/**
 * True for a Status that says "try again later": JD Cloud rate limiting (429), unavailable
 * (503) or too slow (504). Quota refusals are 403 and not retryable.
 */
export const isRetryable = (error: unknown): boolean =>
  error instanceof StatusError && [429, 503, 504].includes(error.code);
