/**
 * One JD Cloud operation over the wire: sign, send through the injectable transport with a
 * timeout, map the envelope to a result or a typed error, and retry when (and only when) the
 * operation is safe to repeat.
 */
import * as z from 'zod';
import { JdBudgetExhaustedError, type JdCallBudget, type JdCallPriority } from './budget';
import {
  isJdCloudFailure,
  JdCloudError,
  type JdCloudFailure,
  JdInvalidResponseError,
  JdNetworkError,
  JdTimeoutError,
} from './errors';
import { dropNulls } from './models';
import { encodeQuery, type QueryPairs } from './query';
import { backoffMs, isTransient, parseRetryAfter, type RetryPolicy } from './retry';
import { signRequest } from './signature';

/** What the caller sees of every HTTP attempt (one attempt = one JD Cloud call). */
export interface JdCallInfo {
  op: string;
  method: string;
  /** The escaped path, without the query string. */
  path: string;
  regionId: string;
  /** 1 for the first attempt. */
  attempt: number;
  outcome: 'ok' | JdCloudFailure['kind'];
  /** The HTTP status, when one arrived. */
  httpCode?: number;
  requestId?: string;
  durationMs: number;
  /** The client's tag (JdClientOptions.tag), e.g. `follow` for a `logs -f` loop's reads. */
  tag?: string;
}

/** Cancels a pending timer. */
export type CancelTimer = () => void;

/** Injectable time and randomness, so tests control time instead of sleeping. */
export interface JdCallEnvironment {
  fetch: typeof fetch;
  /** Milliseconds since the epoch; also the signing date. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Runs `fn` after `ms`; used for per-attempt timeouts. */
  setTimer: (fn: () => void, ms: number) => CancelTimer;
  random: () => number;
  /** Nonce for `x-jdcloud-nonce`. */
  nonce: () => string;
}

/** Settings shared by every call of one client. */
export interface JdCallSettings {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  timeoutMs: number;
  retry: RetryPolicy;
  env: JdCallEnvironment;
  onCall?: (op: string, info: JdCallInfo) => void;
  /** Asked before every attempt; absent = no budget. */
  budget?: JdCallBudget;
  /** Copied into every JdCallInfo, so a budget can tell background loops from requests. */
  tag?: string;
}

/** One operation, fully described. */
export interface JdOperation<T> {
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  regionId: string;
  /** The path after the endpoint, already escaped (see `pathOf`). */
  path: string;
  query?: QueryPairs;
  /** JSON body for POST/PATCH; `{}` when the operation has no parameters, as the JS SDK sends. */
  body?: unknown;
  /** Schema of `result`; `undefined` results are passed to it as-is. */
  result: z.ZodType<T>;
  /** Safe to repeat: reads, and writes made idempotent by a clientToken. */
  idempotent: boolean;
}

/** A call's priority unless its caller says otherwise: reads `read`, writes `action`. */
export const defaultPriority = (op: Pick<JdOperation<unknown>, 'method'>): JdCallPriority =>
  op.method === 'GET' ? 'read' : 'action';

const envelope = z.looseObject({
  requestId: z.string().optional(),
  result: z.unknown().optional(),
  error: z
    .looseObject({
      code: z.number().optional(),
      status: z.string().optional(),
      message: z.string().optional(),
    })
    .optional(),
});

/** Default status string for a non-2xx answer without JD Cloud's envelope (common error table). */
function statusForHttp(code: number): string {
  const known: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'HTTP_FORBIDDEN',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    429: 'RATE_LIMIT',
    500: 'INTERNAL',
    501: 'NOT_IMPLEMENTED',
    502: 'SOURCE_UNAVAILABLE',
    503: 'UNAVAILABLE',
    504: 'UNAVAILABLE',
  };
  return known[code] ?? 'UNKNOWN';
}

const summarize = (error: z.ZodError) =>
  error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');

/** Turns an HTTP answer into the operation's result, or throws a typed error. */
export async function readAnswer<T>(
  op: JdOperation<T>,
  response: Response,
  nowMs: number,
): Promise<T> {
  const text = await response.text();
  const headerId = response.headers.get('x-jdcloud-request-id') ?? undefined;
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = envelope.safeParse(dropNulls(json));
  const body = parsed.success ? parsed.data : undefined;
  const requestId = body?.requestId ?? headerId;
  if (!response.ok || body?.error) {
    const httpCode = body?.error?.code ?? response.status;
    throw new JdCloudError(
      op.op,
      httpCode,
      body?.error?.status ?? statusForHttp(httpCode),
      body?.error?.message ?? (response.statusText || 'no error message'),
      requestId,
      response.status === 429
        ? parseRetryAfter(response.headers.get('retry-after'), nowMs)
        : undefined,
    );
  }
  if (!body) {
    throw new JdInvalidResponseError(
      op.op,
      response.status,
      'body is not a JSON object',
      requestId,
    );
  }
  const result = op.result.safeParse(body.result);
  if (!result.success) {
    throw new JdInvalidResponseError(op.op, response.status, summarize(result.error), requestId);
  }
  return result.data;
}

/** A single attempt, bounded by the timeout. */
async function attemptOnce<T>(settings: JdCallSettings, op: JdOperation<T>, attempt: number) {
  const { env } = settings;
  const query = encodeQuery(op.query ?? []);
  const url = `${settings.endpoint}${op.path}${query ? `?${query}` : ''}`;
  const body =
    op.method === 'GET' || op.method === 'DELETE' ? undefined : JSON.stringify(op.body ?? {});
  const started = env.now();
  const headers = await signRequest({
    method: op.method,
    url,
    ...(body === undefined ? {} : { body }),
    credentials: settings.credentials,
    region: op.regionId,
    date: new Date(started),
    nonce: env.nonce(),
  });
  const controller = new AbortController();
  let timedOut = false;
  const cancel = env.setTimer(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  const report = (outcome: JdCallInfo['outcome'], httpCode?: number, requestId?: string) =>
    settings.onCall?.(op.op, {
      op: op.op,
      method: op.method,
      path: op.path,
      regionId: op.regionId,
      attempt,
      outcome,
      ...(httpCode === undefined ? {} : { httpCode }),
      ...(requestId === undefined ? {} : { requestId }),
      durationMs: env.now() - started,
      ...(settings.tag === undefined ? {} : { tag: settings.tag }),
    });
  let response: Response;
  try {
    response = await env.fetch(url, {
      method: op.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: controller.signal,
    });
  } catch (error) {
    cancel();
    const failure = timedOut
      ? new JdTimeoutError(op.op, settings.timeoutMs)
      : new JdNetworkError(op.op, describeThrown(error));
    report(failure.kind);
    throw failure;
  }
  try {
    const value = await readAnswer(op, response, env.now());
    report('ok', response.status, response.headers.get('x-jdcloud-request-id') ?? undefined);
    return value;
  } catch (error) {
    const failure = isJdCloudFailure(error)
      ? error
      : timedOut
        ? new JdTimeoutError(op.op, settings.timeoutMs)
        : new JdNetworkError(op.op, describeThrown(error));
    const requestId = 'requestId' in failure ? failure.requestId : undefined;
    report(failure.kind, response.status, requestId);
    throw failure;
  } finally {
    cancel();
  }
}

/** `TypeError: fetch failed`: the transport's error, never the request it was given. */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'string' ? error : 'unknown transport failure';
}

/**
 * Runs an operation: takes one call from the budget (if any) per attempt, attempts it, and for
 * idempotent operations retries transient failures with backoff while the retry budget lasts.
 * A 429 RATE_LIMIT from JD slows the budget down before the retry asks it again.
 * Throws a {@link JdCloudFailure} ({@link JdBudgetExhaustedError} when the budget said no).
 */
export async function runOperation<T>(
  settings: JdCallSettings,
  op: JdOperation<T>,
  priority: JdCallPriority = defaultPriority(op),
): Promise<T> {
  const policy = settings.retry;
  const started = settings.env.now();
  for (let attempt = 1; ; attempt++) {
    await settings.budget?.acquire(priority, op.op);
    try {
      return await attemptOnce(settings, op, attempt);
    } catch (error) {
      if (!isJdCloudFailure(error) || error instanceof JdBudgetExhaustedError) throw error;
      if (error.kind === 'api' && error.status === 'RATE_LIMIT') {
        settings.budget?.rateLimited(error.retryAfterSeconds);
      }
      if (!op.idempotent || !isTransient(error) || attempt >= policy.maxAttempts) throw error;
      const delay = backoffMs(policy, attempt, error, settings.env.random);
      if (settings.env.now() - started + delay > policy.budgetMs) throw error;
      await settings.env.sleep(delay);
    }
  }
}
