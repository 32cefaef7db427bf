/**
 * Builds the gateway's Hono app shell: request ids, CORS, one error handler that renders
 * Kubernetes `Status` objects, a Status 404 for unknown paths, and a validation hook
 * that turns zod failures into 400 BadRequest naming the offending field.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Principal } from '../auth/principal';
import { ConfigError } from '../config';
import {
  badRequest,
  failure,
  internalError,
  PATCH_MEDIA_TYPES,
  type Status,
  StatusError,
  type StatusReason,
  serviceUnavailable,
  unsupportedMediaType,
} from '../k8s/status';

/** What the apiserver accepts for create and replace bodies. */
const BODY_MEDIA_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
];

import type { AuditTarget } from './audit';
import { cors } from './cors';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The gateway's own id for this request (the `X-Request-Id` it answers with). */
    requestId: string;
    /** What the caller sent as `X-Request-Id`: recorded beside ours, never in its place. */
    clientRequestId?: string;
    /** Set by `authenticate()`; read it with `principalOf(c)`. */
    principal?: Principal;
    /** What the audit line says about this request; see `requireGrant()` and `noteAudit()`. */
    audit?: AuditTarget;
    /** Set by `docsSecurityHeaders()` for Scalar's inline tags. */
    secureHeadersNonce?: string;
  };
}

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Writes a Status with its code, `application/json`, and any extra headers (Retry-After). */
export function renderStatus(c: Context, status: Status, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return c.json(status, status.code as ContentfulStatusCode);
}

/** Maps anything thrown by a handler to the StatusError the client will see. */
export function toStatusError(err: unknown, method = 'GET'): StatusError {
  if (err instanceof StatusError) return err;
  if (err instanceof ConfigError) return serviceUnavailable(err.message);
  // The router's media-type gate: answer with the apiserver's list of accepted types.
  if (err instanceof HTTPException && err.status === 415) {
    return unsupportedMediaType(method === 'PATCH' ? PATCH_MEDIA_TYPES : BODY_MEDIA_TYPES);
  }
  if (err instanceof HTTPException) {
    const reason = REASON_BY_CODE[err.status] ?? 'InternalError';
    return new StatusError(failure(err.status, reason, err.message || reason));
  }
  return internalError('an unexpected error happened; see the gateway log for the request id');
}

const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** The longest caller-supplied request id that is recorded; longer ones are cut. */
const MAX_CLIENT_REQUEST_ID = 200;

/**
 * Gives every request the gateway's own id, answered as `X-Request-Id`; a caller's
 * `X-Request-Id` is kept apart (printable ASCII, cut to 200 characters) so it can never pose as
 * ours in the audit trail. Every response, errors included, also says `nosniff`.
 */
function requestIds(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = crypto.randomUUID();
    c.set('requestId', id);
    const supplied = c.req.header('X-Request-Id')?.replace(/[^\x20-\x7e]/g, '');
    if (supplied) c.set('clientRequestId', supplied.slice(0, MAX_CLIENT_REQUEST_ID));
    const headers = { 'X-Request-Id': id, 'X-Content-Type-Options': 'nosniff' };
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
    // A handler that built its own Response (a watch stream) did not get the prepared headers.
    for (const [name, value] of Object.entries(headers)) {
      if (c.res.headers.has(name)) continue;
      try {
        c.res.headers.set(name, value);
      } catch {
        const copy = new Response(c.res.body, c.res);
        copy.headers.set(name, value);
        c.res = copy;
      }
    }
  };
}

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue ? fieldOf(issue.path) : result.target;
        throw badRequest(`${field || result.target}: ${issue?.message ?? 'invalid value'}`);
      }
    },
  });
  app.use('*', requestIds());
  app.use('*', cors());
  app.notFound((c) =>
    renderStatus(c, failure(404, 'NotFound', 'the server could not find the requested resource')),
  );
  app.onError((err, c) => {
    const statusError = toStatusError(err, c.req.method);
    if (statusError.code >= 500 && !(err instanceof StatusError)) {
      console.error(
        JSON.stringify({
          level: 'error',
          requestId: c.get('requestId'),
          method: c.req.method,
          path: c.req.path,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        }),
      );
    }
    return renderStatus(c, statusError.status, statusError.headers);
  });
  return app;
}
