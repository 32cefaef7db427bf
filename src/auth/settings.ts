/**
 * The security part of the configuration contract: static tokens, JWT validation, CORS origins
 * and request limits. `src/config.ts` composes these schemas with the rest of the contract.
 *
 * Messages never quote a value: some of these keys are secrets.
 */
import * as z from 'zod';
import { grantedNamespaces, ROLES, type Role } from './principal';

/** The largest JSON-patch the apiserver accepts (`maxJSONPatchOperations`). */
export const APISERVER_MAX_PATCH_OPS = 10_000;

/** The apiserver's request body cap (3 MiB); podgate never allows more. */
export const APISERVER_MAX_BODY_BYTES = 3 * 1024 * 1024;
/** How many watches one caller may hold open on one namespace at once, unless configured. */
export const DEFAULT_MAX_WATCHES_PER_CALLER = 20;

/**
 * SHA-256 (hex) of the local development tokens `podgate-dev-admin` and `podgate-dev-viewer`.
 * They are public, so production refuses a token list that contains them.
 */
export const DEV_TOKEN_HASHES: ReadonlySet<string> = new Set([
  '2bb9e25a799933f438203c3815fddd0b42d3d7427462bd2c231a8ea66a3fe882',
  '6f15afdcfd114e68bea97b372a21dd22cdfd92f5152b43d5f58ddf96e91da2f6',
]);

const namespaceGrant = z.union([
  z.literal('*'),
  z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label or "*"'),
]);

const staticToken = z
  .object({
    name: z.string().min(1).max(253),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex SHA-256 of the token (64 hex digits)')
      .transform((hex) => hex.toLowerCase()),
    role: z.enum(ROLES),
    namespaces: z.array(namespaceGrant).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.role === 'admin') {
      // admin is cluster-wide; a narrower list would suggest a limit that does not exist.
      if (t.namespaces && !(t.namespaces.length === 1 && t.namespaces[0] === '*')) {
        ctx.addIssue({
          code: 'custom',
          path: ['namespaces'],
          message: 'admin applies to every namespace; omit namespaces or use ["*"]',
        });
      }
    } else if (!t.namespaces || t.namespaces.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['namespaces'],
        message: `must list the namespaces a ${t.role} token may use (or ["*"])`,
      });
    }
  });

/** `PODGATE_TOKENS`: unique names and unique hashes, so audit lines and rate limits are unambiguous. */
export const staticTokenList = z.array(staticToken).superRefine((tokens, ctx) => {
  const names = new Set<string>();
  const hashes = new Set<string>();
  tokens.forEach((t, i) => {
    if (names.has(t.name)) {
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'duplicate token name' });
    }
    if (hashes.has(t.sha256)) {
      ctx.addIssue({ code: 'custom', path: [i, 'sha256'], message: 'duplicate token hash' });
    }
    names.add(t.name);
    hashes.add(t.sha256);
  });
});

/** `PODGATE_CORS_ORIGINS`: `https://app.example.com,http://localhost:5173` and optionally `*`. */
export const corsOriginList = z.string().transform((text, ctx) => {
  const origins = text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const [i, origin] of origins.entries()) {
    if (origin === '*') continue;
    let canonical: string | undefined;
    try {
      canonical = new URL(origin).origin;
    } catch {
      canonical = undefined;
    }
    if (canonical !== origin || !/^https?:/.test(origin)) {
      ctx.addIssue({
        code: 'custom',
        path: [i],
        message: 'must be an origin such as https://app.example.com (scheme, host, optional port)',
      });
    }
  }
  return origins;
});

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** The raw environment keys this module owns, merged into the config schema. */
export const securityKeys = {
  PODGATE_JWT_JWKS_URL: z.url({ protocol: /^https$/ }).optional(),
  PODGATE_JWT_HS256_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (256 bits) for HS256')
    .optional(),
  PODGATE_JWT_ISSUER: z.string().min(1).optional(),
  PODGATE_JWT_AUDIENCE: z.string().min(1).optional(),
  PODGATE_JWT_USER_CLAIM: z.string().min(1).default('sub'),
  PODGATE_JWT_ROLE_CLAIM: z.string().min(1).default('podgate/role'),
  PODGATE_JWT_NAMESPACES_CLAIM: z.string().min(1).default('podgate/namespaces'),
  PODGATE_JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  PODGATE_CORS_ORIGINS: corsOriginList.optional(),
  PODGATE_MAX_BODY_BYTES: positiveInt(APISERVER_MAX_BODY_BYTES).default(1024 * 1024),
  PODGATE_MAX_PATCH_OPS: positiveInt(APISERVER_MAX_PATCH_OPS).default(1000),
  PODGATE_RATE_LIMIT_PER_MINUTE: positiveInt(1_000_000).default(600),
  PODGATE_MAX_WATCHES_PER_CALLER: positiveInt(10_000).default(DEFAULT_MAX_WATCHES_PER_CALLER),
};

/** One configured static token: its name, the hash of its secret, and its grant. */
export interface StaticTokenGrant {
  name: string;
  /** Lower-case hex SHA-256 of the token. */
  sha256: string;
  role: Role;
  namespaces: '*' | readonly string[];
}

export interface JwtSettings {
  jwksUrl?: string;
  hs256Secret?: string;
  issuer: string;
  audience: string;
  claims: { user: string; role: string; namespaces: string };
  clockToleranceSeconds: number;
}

export interface SecurityConfig {
  auth: { tokens: readonly StaticTokenGrant[]; jwt?: JwtSettings };
  cors: {
    /** Origins that may call with credentials; each is echoed back exactly. */
    origins: ReadonlySet<string>;
    /** `*` was listed: any other origin may read responses, never with credentials. */
    anyOrigin: boolean;
  };
  limits: {
    maxBodyBytes: number;
    maxPatchOps: number;
    ratePerMinute: number;
    /** Concurrent watches one caller may hold open on one namespace. */
    maxWatchesPerCaller: number;
  };
}

type SecurityInput = z.output<z.ZodObject<typeof securityKeys>> & {
  PODGATE_ENV: 'production' | 'local' | 'test';
  PODGATE_TOKENS?: z.output<typeof staticTokenList>;
};

/**
 * Checks the rules that span several keys and builds the security settings.
 * Returns the problems (`KEY: message`) instead when there are any.
 */
export function securityConfigFrom(c: SecurityInput): SecurityConfig | string[] {
  const problems: string[] = [];
  const tokens = c.PODGATE_TOKENS ?? [];
  if (c.PODGATE_ENV === 'production' && tokens.some((t) => DEV_TOKEN_HASHES.has(t.sha256))) {
    problems.push('PODGATE_TOKENS: contains a local development token; not allowed in production');
  }
  const hasKeySource =
    c.PODGATE_JWT_JWKS_URL !== undefined || c.PODGATE_JWT_HS256_SECRET !== undefined;
  const hasClaims = c.PODGATE_JWT_ISSUER !== undefined || c.PODGATE_JWT_AUDIENCE !== undefined;
  if (hasKeySource || hasClaims) {
    if (!hasKeySource) {
      problems.push('PODGATE_JWT_JWKS_URL: set it or PODGATE_JWT_HS256_SECRET to accept JWTs');
    }
    if (c.PODGATE_JWT_ISSUER === undefined) {
      problems.push('PODGATE_JWT_ISSUER: required when JWTs are accepted');
    }
    if (c.PODGATE_JWT_AUDIENCE === undefined) {
      problems.push('PODGATE_JWT_AUDIENCE: required when JWTs are accepted');
    }
  }
  if (problems.length > 0) return problems;

  const jwt: JwtSettings | undefined =
    hasKeySource && c.PODGATE_JWT_ISSUER && c.PODGATE_JWT_AUDIENCE
      ? {
          ...(c.PODGATE_JWT_JWKS_URL ? { jwksUrl: c.PODGATE_JWT_JWKS_URL } : {}),
          ...(c.PODGATE_JWT_HS256_SECRET ? { hs256Secret: c.PODGATE_JWT_HS256_SECRET } : {}),
          issuer: c.PODGATE_JWT_ISSUER,
          audience: c.PODGATE_JWT_AUDIENCE,
          claims: {
            user: c.PODGATE_JWT_USER_CLAIM,
            role: c.PODGATE_JWT_ROLE_CLAIM,
            namespaces: c.PODGATE_JWT_NAMESPACES_CLAIM,
          },
          clockToleranceSeconds: c.PODGATE_JWT_CLOCK_TOLERANCE_SECONDS,
        }
      : undefined;
  const origins = c.PODGATE_CORS_ORIGINS ?? [];
  return {
    auth: {
      tokens: tokens.map((t) => ({
        name: t.name,
        sha256: t.sha256,
        role: t.role,
        namespaces: grantedNamespaces(t.role, t.namespaces ?? []),
      })),
      ...(jwt ? { jwt } : {}),
    },
    cors: { origins: new Set(origins.filter((o) => o !== '*')), anyOrigin: origins.includes('*') },
    limits: {
      maxBodyBytes: c.PODGATE_MAX_BODY_BYTES,
      maxPatchOps: c.PODGATE_MAX_PATCH_OPS,
      ratePerMinute: c.PODGATE_RATE_LIMIT_PER_MINUTE,
      maxWatchesPerCaller: c.PODGATE_MAX_WATCHES_PER_CALLER,
    },
  };
}
