/**
 * Request limits: body size (413), JSON nesting depth (400), JSON-patch operation count (413, as
 * the apiserver does) and a per-caller rate limit (429 with `Retry-After`).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { principalOf } from '../auth/authenticate';
import { APISERVER_MAX_PATCH_OPS } from '../auth/settings';
import { configFor } from '../config';
import { MAX_JSON_DEPTH, nestedDeeperThan, tooDeep } from '../k8s/json-budget';
import { entityTooLarge, type StatusError, tooManyRequests } from '../k8s/status';
import { type AppEnv, renderStatus } from './create-app';

/**
 * Refuses bodies larger than `PODGATE_MAX_BODY_BYTES` with 413 `Request entity too large: limit
 * is N` (the apiserver's words). A declared Content-Length is checked before anything is read; a
 * streamed body is counted as it arrives and cut off at the limit.
 */
export function limitBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { maxBodyBytes } = configFor(c.env).limits;
    const limit = bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => renderStatus(c, entityTooLarge(`limit is ${maxBodyBytes}`).status),
    });
    return limit(c, async () => {
      // Every body is judged, whatever its Content-Type says: apply-patch and DELETE bodies are
      // parsed as JSON too. Read once here (Hono caches it for the handler): a deeply nested
      // body would otherwise overflow the stack of every recursive walk after JSON.parse.
      if (c.req.raw.body && nestedDeeperThan(await c.req.text(), MAX_JSON_DEPTH)) throw tooDeep();
      await next();
    });
  };
}

export { MAX_JSON_DEPTH, nestedDeeperThan };

/**
 * Throws 413 when a JSON-patch has more operations than allowed: the configured cap, which can
 * never exceed the apiserver's own 10000. Call it on the parsed patch before applying it.
 */
export function checkPatchOperationCount(operations: readonly unknown[], cap: number): void {
  const allowed = Math.min(cap, APISERVER_MAX_PATCH_OPS);
  if (operations.length > allowed) {
    throw entityTooLarge(
      `The allowed maximum operations in a JSON patch is ${allowed}, got ${operations.length}`,
    );
  }
}

/** A rate limiter answers for one key; `retryAfterSeconds` says when to come back. */
export interface RateLimiter {
  take(key: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

/** The window of the `[[ratelimits]]` binding in wrangler.toml (`simple.period`); keep them equal. */
export const BINDING_PERIOD_SECONDS = 60;

/**
 * The Workers Rate Limiting binding: counted across isolates by Cloudflare. It says only yes or
 * no, so a refusal asks the caller to wait one full period.
 */
export function bindingRateLimiter(binding: RateLimit): RateLimiter {
  return {
    async take(key) {
      const { success } = await binding.limit({ key });
      return success ? { ok: true } : { ok: false, retryAfterSeconds: BINDING_PERIOD_SECONDS };
    },
  };
}

/**
 * A fixed one-minute window per key, held in this isolate's memory: the fallback when the
 * binding is absent (plain `vitest` in Node, other hosts). It limits each isolate separately,
 * so deployments should keep the binding.
 */
export function memoryRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    async take(key) {
      const t = now();
      const start = t - (t % 60_000);
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (w.start < start) windows.delete(k);
      }
      const window = windows.get(key);
      const current = window && window.start === start ? window : { start, count: 0 };
      current.count += 1;
      windows.set(key, current);
      if (current.count <= perMinute) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((start + 60_000 - t) / 1000)) };
    },
  };
}

const fallbacks = new WeakMap<object, RateLimiter>();

/** The binding when the Worker has one, else one in-memory limiter per isolate. */
function rateLimiterFor(env: Env): RateLimiter {
  const binding = (env as Partial<Env>).PODGATE_RATE_LIMITER;
  if (binding) return bindingRateLimiter(binding);
  let limiter = fallbacks.get(env);
  if (!limiter) {
    limiter = memoryRateLimiter(configFor(env).limits.ratePerMinute);
    fallbacks.set(env, limiter);
  }
  return limiter;
}

/** The 429 a rate-limited caller sees: the apiserver's sentence, `Retry-After` and details. */
export const rateLimited = (retryAfterSeconds: number): StatusError =>
  tooManyRequests('Too many requests, please try again later.', retryAfterSeconds);

/**
 * Limits each authenticated caller (by principal, never by token) to its share of requests.
 * Mount after `authenticate()`.
 */
export function rateLimit(limiter?: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = principalOf(c);
    const outcome = await (limiter ?? rateLimiterFor(c.env)).take(
      `${principal.via}:${principal.name}`,
    );
    if (!outcome.ok) throw rateLimited(outcome.retryAfterSeconds);
    await next();
  };
}
