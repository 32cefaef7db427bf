/**
 * The audit trail: one structured JSON line per mutating request, saying who did what to which
 * pod and how it ended. Values never appear, only JSON-pointer paths: a pod spec may carry
 * secrets in its environment, and tokens or JD Cloud keys have no field here to land in.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { PodAction } from '../auth/authorize';
import type { AppEnv } from './create-app';

/** What a route knows about its mutation; `requireGrant()` fills the first three. */
export interface AuditTarget {
  action?: PodAction;
  namespace?: string | undefined;
  name?: string | undefined;
  /** JSON-pointer paths the patch touches (see `patchPaths`). */
  patchPaths?: string[];
  /** JD Cloud's `requestId` of the last call made for this request. */
  jdRequestId?: string;
}

export interface AuditEntry {
  /** The gateway's own request id. */
  requestId: string;
  /** The caller's `X-Request-Id`, if it sent one: its own label, never trusted as ours. */
  clientRequestId: string | null;
  /** The principal's name, or `null` when the request was refused before authentication. */
  who: string | null;
  via: 'token' | 'jwt' | null;
  verb: string;
  namespace: string | null;
  name: string | null;
  patchPaths: string[];
  code: number;
  jdRequestId: string | null;
}

/** Writes one audit line. */
export function auditLog(entry: AuditEntry, now: () => Date = () => new Date()): void {
  console.log(
    JSON.stringify({ level: 'info', event: 'audit', time: now().toISOString(), ...entry }),
  );
}

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Audits every mutating request that passes through, including those refused with 401, 403,
 * 413 or 429: the line is written after the response (or the error Status) is ready.
 * Mount it before `authenticate()` so refusals of unknown callers are recorded too.
 */
export function auditMutations(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!MUTATING_METHODS.has(c.req.method)) return next();
    await next();
    auditLog(auditEntryOf(c));
  };
}

/** Adds what only the handler knows (a created pod's name, patch paths, JD Cloud request id). */
export function noteAudit(
  c: Context<AppEnv>,
  more: Pick<AuditTarget, 'name' | 'patchPaths' | 'jdRequestId'>,
) {
  c.set('audit', { ...c.get('audit'), ...more });
}

/** Notes the last JD Cloud request a store call made (the one that did the work) for the audit line. */
export function noteJdCalls(c: Context<AppEnv>, result: { jdRequestIds?: string[] }) {
  const last = result.jdRequestIds?.at(-1);
  if (last) noteAudit(c, { jdRequestId: last });
}

function auditEntryOf(c: Context<AppEnv>): AuditEntry {
  const principal = c.get('principal');
  const target = c.get('audit') ?? {};
  return {
    requestId: c.get('requestId'),
    clientRequestId: c.get('clientRequestId') ?? null,
    who: principal?.name ?? null,
    via: principal?.via ?? null,
    verb: target.action ?? c.req.method.toLowerCase(),
    namespace: target.namespace ?? null,
    name: target.name ?? null,
    patchPaths: target.patchPaths ?? [],
    code: c.res.status,
    jdRequestId: target.jdRequestId ?? null,
  };
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * The paths a patch body touches, never its values. JSON-patch: each operation's `path` (and
 * `from`). Merge and strategic-merge patches: the JSON pointer of every leaf; a list counts as a
 * leaf because merge patches replace lists whole.
 * @example patchPaths('application/json-patch+json', [{op:'replace',path:'/spec/containers/0/image',value:'x'}])
 * // ['/spec/containers/0/image']
 */
export function patchPaths(contentType: string, body: unknown): string[] {
  if (contentType.startsWith('application/json-patch+json')) {
    if (!Array.isArray(body)) return [];
    return body.flatMap((op: unknown) => {
      if (!op || typeof op !== 'object') return [];
      const { path, from } = op as { path?: unknown; from?: unknown };
      return [from, path].filter((p): p is string => typeof p === 'string');
    });
  }
  const paths: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length === 0 && at) paths.push(at);
      for (const [key, child] of entries) walk(child, `${at}/${escapePointer(key)}`);
    } else if (at) {
      paths.push(at);
    }
  };
  walk(body, '');
  return paths;
}
