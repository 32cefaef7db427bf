/**
 * CORS for the configured origins (`PODGATE_CORS_ORIGINS`).
 *
 * A listed origin is echoed back with `Access-Control-Allow-Credentials: true`. If `*` is listed
 * too, any other origin gets `Access-Control-Allow-Origin: *` and never credentials: browsers
 * reject that combination, and it would hand a signed-in session to any site. An origin that is
 * not allowed gets no CORS headers at all, so the browser withholds the response.
 * Preflights are answered here, before authentication: they carry no credentials.
 */
import type { MiddlewareHandler } from 'hono';
import type { SecurityConfig } from '../auth/settings';
import { ConfigError, configFor } from '../config';
import type { AppEnv } from './create-app';

export const CORS_ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'X-Request-Id',
] as const;
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Warning', 'Retry-After'] as const;
/** Browsers cap this anyway (Chrome: 2 h); 10 minutes keeps config changes visible soon. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** The CORS answer for one origin: which value to echo and whether credentials are allowed. */
export function corsGrant(
  cors: SecurityConfig['cors'],
  origin: string,
): { allowOrigin: string; credentials: boolean } | undefined {
  if (cors.origins.has(origin)) return { allowOrigin: origin, credentials: true };
  if (cors.anyOrigin) return { allowOrigin: '*', credentials: false };
  return undefined;
}

/** Settings for this isolate; a broken configuration allows no origin (and `/healthz` still works). */
function corsSettings(env: object): SecurityConfig['cors'] | undefined {
  try {
    return configFor(env).cors;
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}

/** The CORS middleware; mount it first so every response, errors included, carries the headers. */
export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const settings = origin ? corsSettings(c.env) : undefined;
    const grant = origin && settings ? corsGrant(settings, origin) : undefined;
    const isPreflight = c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method');

    if (isPreflight) {
      const headers = new Headers({ Vary: 'Origin' });
      if (grant) {
        headers.set('Access-Control-Allow-Origin', grant.allowOrigin);
        if (grant.credentials) headers.set('Access-Control-Allow-Credentials', 'true');
        headers.set('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS.join(', '));
        headers.set('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS.join(', '));
        headers.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      }
      return new Response(null, { status: 204, headers });
    }

    await next();
    // Responses differ by Origin, so shared caches must key on it even for requests without one.
    c.res.headers.append('Vary', 'Origin');
    if (!grant) return;
    c.res.headers.set('Access-Control-Allow-Origin', grant.allowOrigin);
    if (grant.credentials) c.res.headers.set('Access-Control-Allow-Credentials', 'true');
    c.res.headers.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS.join(', '));
  };
}
