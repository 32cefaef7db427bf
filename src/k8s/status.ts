/**
 * Kubernetes `Status` objects and the one exception that carries them.
 *
 * Messages, reasons and codes follow the real apiserver (k8s.io/apimachinery
 * pkg/api/errors) so kubectl and client libraries print them as they would for
 * a cluster. Handlers throw a `StatusError`; the app's error handler renders it.
 */

export type CauseReason =
  | 'FieldValueForbidden'
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueTooLong'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'ResourceVersionTooLarge'
  | 'UnexpectedServerResponse';

export interface StatusCause {
  reason?: CauseReason;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'NonZeroExitCode'
  | '';

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A field error as Kubernetes validation reports it: `spec.containers[0].image: Required value`. */
export interface FieldError {
  field: string;
  reason: CauseReason;
  /** The error body without the field, e.g. `Required value` or `Invalid value: "x": must be …`. */
  message: string;
}

/** The exception handlers throw; `onError` renders `status` with `status.code`. */
export class StatusError extends Error {
  readonly status: Status;
  readonly headers: Record<string, string>;

  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message);
    this.name = 'StatusError';
    this.status = status;
    this.headers = headers;
  }

  get code(): number {
    return this.status.code;
  }
}

export function failure(
  code: number,
  reason: StatusReason,
  message: string,
  details?: StatusDetails,
): Status {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details && Object.keys(details).length > 0) status.details = details;
  return status;
}

const RESOURCE = 'pods';

export const notFound = (name: string, resource = RESOURCE) =>
  new StatusError(
    failure(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource }),
  );

export const alreadyExists = (name: string, resource = RESOURCE) =>
  new StatusError(
    failure(409, 'AlreadyExists', `${resource} "${name}" already exists`, {
      name,
      kind: resource,
    }),
  );

/** The optimistic-lock conflict, word for word as the apiserver sends it. */
export const conflict = (name: string, resource = RESOURCE) =>
  new StatusError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, kind: resource },
    ),
  );

export const conflictWithMessage = (name: string, detail: string, resource = RESOURCE) =>
  new StatusError(
    failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${detail}`, {
      name,
      kind: resource,
    }),
  );

/** Formats one field error the way `field.Error.Error()` does. */
export const formatFieldError = (e: FieldError) =>
  e.field ? `${e.field}: ${e.message}` : e.message;

/** 422 Invalid, built like `apierrors.NewInvalid(GroupKind{Kind}, name, errs)`. */
export function invalid(kind: string, name: string, errors: FieldError[]): StatusError {
  const unique = [...new Set(errors.map(formatFieldError))];
  const agg = unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
  return new StatusError(
    failure(422, 'Invalid', `${kind} "${name}" is invalid: ${agg}`, {
      name,
      kind,
      causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })),
    }),
  );
}

/**
 * The generic 422 the apiserver sends when a json-patch operation fails; like its
 * `NewGenericServerResponse`, a `cause` the caller can act on goes into `details.causes`.
 */
export const patchRejected = (cause?: string) =>
  new StatusError(
    failure(
      422,
      'Invalid',
      'the server rejected our request due to an error in our request',
      cause ? { causes: [{ reason: 'UnexpectedServerResponse', message: cause }] } : undefined,
    ),
  );

export const badRequest = (message: string) => new StatusError(failure(400, 'BadRequest', message));

export const unauthorized = (message = 'Unauthorized') =>
  new StatusError(failure(401, 'Unauthorized', message));

export const forbidden = (name: string | undefined, reason: string, resource = RESOURCE) =>
  new StatusError(
    failure(
      403,
      'Forbidden',
      name
        ? `${resource} "${name}" is forbidden: ${reason}`
        : `${resource} is forbidden: ${reason}`,
      name ? { name, kind: resource } : { kind: resource },
    ),
  );

export const methodNotAllowed = (action: string, resource = RESOURCE) =>
  new StatusError(
    failure(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${resource}"`,
      {
        kind: resource,
      },
    ),
  );

export const notAcceptable = (accepted: string[]) =>
  new StatusError(
    failure(
      406,
      'NotAcceptable',
      `only the following media types are accepted: ${accepted.join(', ')}`,
    ),
  );

export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export const unsupportedMediaType = (accepted: readonly string[] = PATCH_MEDIA_TYPES) =>
  new StatusError(
    failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    ),
  );

export const entityTooLarge = (message: string) =>
  new StatusError(failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`));

export const gone = (message: string) => new StatusError(failure(410, 'Expired', message));

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new StatusError(failure(429, 'TooManyRequests', message, { retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
  });

export const internalError = (message: string) =>
  new StatusError(
    failure(500, 'InternalError', `Internal error occurred: ${message}`, {
      causes: [{ message }],
    }),
  );

export const serviceUnavailable = (message: string, retryAfterSeconds?: number) =>
  new StatusError(
    failure(
      503,
      'ServiceUnavailable',
      message,
      retryAfterSeconds ? { retryAfterSeconds } : undefined,
    ),
    retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {},
  );

export const gatewayTimeout = (message: string, retryAfterSeconds?: number) =>
  new StatusError(
    failure(
      504,
      'Timeout',
      `Timeout: ${message}`,
      retryAfterSeconds ? { retryAfterSeconds } : undefined,
    ),
    retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {},
  );
