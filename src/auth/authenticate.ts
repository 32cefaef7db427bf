/**
 * The Hono side of authn/authz: `authenticate()` turns `Authorization: Bearer …` into the
 * request's principal (or a 401/503 Status), and `requireGrant()` is what a route calls before
 * doing anything, so a refusal never depends on whether the pod or namespace exists.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { type Config, configFor } from '../config';
import { forbidden, StatusError, serviceUnavailable, unauthorized } from '../k8s/status';
import type { AppEnv } from '../lib/create-app';
import { authorize, type PodAction, RBAC_ATTRIBUTES } from './authorize';
import {
  createJwtVerifier,
  JwtRejected,
  type JwtVerifier,
  type JwtVerifierOptions,
  looksLikeJwt,
} from './jwt';
import type { Principal } from './principal';
import { verifyStaticToken } from './static-tokens';

/** What production says until someone can be authenticated. */
export const NO_AUTH_CONFIGURED =
  'podgate has no callers configured: set PODGATE_TOKENS (static tokens), or PODGATE_JWT_ISSUER, PODGATE_JWT_AUDIENCE and PODGATE_JWT_JWKS_URL or PODGATE_JWT_HS256_SECRET (JWTs)';

/** RFC 6750 `b64token`; anything else after `Bearer ` is malformed. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token from an `Authorization` header, or `undefined` when there is none usable. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

const verifiers = new WeakMap<Config, JwtVerifier>();

/** One verifier (and so one JWKS cache) per parsed configuration, i.e. per isolate. */
function jwtVerifierFor(config: Config, options: JwtVerifierOptions): JwtVerifier | undefined {
  const settings = config.auth.jwt;
  if (!settings) return undefined;
  let verifier = verifiers.get(config);
  if (!verifier) {
    verifier = createJwtVerifier(settings, options);
    verifiers.set(config, verifier);
  }
  return verifier;
}

const challenge = { 'WWW-Authenticate': 'Bearer realm="podgate"' };

const refuse = (c: Context<AppEnv>, why: string) => {
  // The reason helps operators; the token never appears in it.
  console.warn(
    JSON.stringify({
      level: 'warn',
      event: 'authn.refused',
      requestId: c.get('requestId'),
      reason: why,
    }),
  );
  return new StatusError(unauthorized().status, challenge);
};

/**
 * Authenticates the caller and stores the principal (`c.get('principal')`).
 * Missing or bad credentials → 401 Status `Unauthorized`; no way to authenticate anyone
 * configured → 503 Status naming the keys to set.
 */
export function authenticate(options: JwtVerifierOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const config = configFor(c.env);
    if (config.auth.tokens.length === 0 && !config.auth.jwt) {
      throw serviceUnavailable(NO_AUTH_CONFIGURED);
    }
    const token = bearerToken(c.req.header('Authorization'));
    if (!token)
      throw refuse(
        c,
        c.req.header('Authorization') ? 'malformed Authorization header' : 'no bearer token',
      );
    let principal = await verifyStaticToken(token, config.auth.tokens);
    if (!principal) {
      const verifier = looksLikeJwt(token) ? jwtVerifierFor(config, options) : undefined;
      if (!verifier) throw refuse(c, 'unknown token');
      try {
        principal = await verifier(token);
      } catch (err) {
        if (err instanceof JwtRejected) throw refuse(c, err.message);
        throw err;
      }
    }
    c.set('principal', principal);
    await next();
  };
}

/** The authenticated principal; throws if `authenticate()` did not run (a wiring mistake). */
export function principalOf(c: Context<AppEnv>): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('principalOf: authenticate() is not mounted on this route');
  return principal;
}

/**
 * Checks the caller's grant and records the target for the audit line. Call it first in every
 * pod handler, before any lookup: a refusal is then the same whether or not the namespace or
 * pod exists. `namespace` is `undefined` for the all-namespaces list.
 * @example requireGrant(c, 'patch', 'staging', 'web') // 403 pods "web" is forbidden: User …
 */
export function requireGrant(
  c: Context<AppEnv>,
  action: PodAction,
  namespace: string | undefined,
  name?: string,
): Principal {
  const principal = principalOf(c);
  c.set('audit', { ...c.get('audit'), action, namespace, name });
  const decision = authorize(principal, action, namespace);
  if (!decision.allowed) {
    // Named by the top resource, as the apiserver does (`pods "web" is forbidden` for pods/log).
    const [resource] = RBAC_ATTRIBUTES[action].resource.split('/');
    throw forbidden(name, decision.reason, resource);
  }
  return principal;
}
