/**
 * JWT bearer tokens: RS256/ES256 against a remote JWKS (fetched once, then cached for this
 * isolate by jose), or HS256 against a shared secret. Issuer, audience and expiry are always
 * checked; the user, role and namespaces come from configurable claims.
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { grantedNamespaces, type Principal, ROLES, type Role } from './principal';
import type { JwtSettings } from './settings';

/** Why a JWT was refused; safe to log (it never contains the token). */
export class JwtRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtRejected';
  }
}

export interface JwtVerifierOptions {
  /** Fetches the JWKS; tests serve it from memory. Defaults to the global fetch. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** The clock used for `exp`/`nbf`/`iat`. Defaults to the real time. */
  now?: () => Date;
}

export type JwtVerifier = (token: string) => Promise<Principal>;

const ASYMMETRIC = ['RS256', 'ES256'] as const;

/** A compact JWS has three base64url parts; anything else is not worth a JWKS lookup. */
export const looksLikeJwt = (token: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);

/**
 * Builds a verifier for one set of JWT settings. Keep it for the isolate's lifetime: the remote
 * key set it holds is the JWKS cache (refetched at most every 10 minutes, or on an unknown `kid`
 * after a 30-second cooldown).
 */
export function createJwtVerifier(
  settings: JwtSettings,
  options: JwtVerifierOptions = {},
): JwtVerifier {
  const jwks = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl), {
        cacheMaxAge: 10 * 60_000,
        cooldownDuration: 30_000,
        timeoutDuration: 5_000,
        ...(options.fetch ? { [customFetch]: options.fetch } : {}),
      })
    : undefined;
  const secret = settings.hs256Secret ? new TextEncoder().encode(settings.hs256Secret) : undefined;
  const common = {
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['exp'],
    clockTolerance: settings.clockToleranceSeconds,
  };

  return async (token) => {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new JwtRejected('malformed JWT header');
    }
    const currentDate = options.now?.();
    const verifyOptions = { ...common, ...(currentDate ? { currentDate } : {}) };
    let payload: JWTPayload;
    try {
      if (alg === 'HS256' && secret) {
        ({ payload } = await jwtVerify(token, secret, { ...verifyOptions, algorithms: ['HS256'] }));
      } else if ((alg === 'RS256' || alg === 'ES256') && jwks) {
        ({ payload } = await jwtVerify(token, jwks, {
          ...verifyOptions,
          algorithms: [...ASYMMETRIC],
        }));
      } else {
        throw new JwtRejected(`JWT algorithm ${JSON.stringify(alg)} is not accepted`);
      }
    } catch (err) {
      if (err instanceof JwtRejected) throw err;
      if (err instanceof errors.JOSEError) throw new JwtRejected(`${err.code}: ${err.message}`);
      throw err;
    }
    return principalFromClaims(payload, settings.claims);
  };
}

/** Reads the user, role and namespaces from verified claims. */
export function principalFromClaims(payload: JWTPayload, claims: JwtSettings['claims']): Principal {
  const name = payload[claims.user];
  if (typeof name !== 'string' || name === '') {
    throw new JwtRejected(`claim "${claims.user}" must be a non-empty string`);
  }
  const role = payload[claims.role];
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    throw new JwtRejected(`claim "${claims.role}" must be one of ${ROLES.join(', ')}`);
  }
  const raw = payload[claims.namespaces] ?? [];
  const list = raw === '*' ? ['*'] : raw;
  if (!Array.isArray(list) || !list.every((n): n is string => typeof n === 'string')) {
    throw new JwtRejected(`claim "${claims.namespaces}" must be "*" or a list of namespaces`);
  }
  return {
    name,
    role: role as Role,
    namespaces: grantedNamespaces(role as Role, list),
    via: 'jwt',
  };
}
