/**
 * The gateway's configuration contract, parsed and validated once per isolate.
 *
 * Every value comes from the Worker's environment (vars and secrets). A bad value
 * fails with a message naming the key, e.g. `PODGATE_NAMESPACES.default.az: …`.
 */
import * as z from 'zod';
import {
  type SecurityConfig,
  securityConfigFrom,
  securityKeys,
  staticTokenList,
} from './auth/settings';

const REGIONS = ['cn-north-1', 'cn-east-2', 'cn-south-1'] as const;

/** JD allows about 1000 calls/min per account: 600 leaves room for its console and other tools. */
export const DEFAULT_JD_CALLS_PER_MINUTE = 600;

const systemDiskDefaults = z
  .object({
    diskType: z.enum(['hdd.std1', 'ssd.gp1', 'ssd.io1']).default('ssd.gp1'),
    sizeGB: z.number().int().min(20).max(100).multipleOf(10).default(20),
  })
  .strict();

const subnetId = z.string().regex(/^subnet-[a-z0-9]+$/, 'must be a subnet id (subnet-…)');
const securityGroupId = z.string().regex(/^sg-[a-z0-9]+$/, 'must be a security group id (sg-…)');

export const namespaceSettings = z
  .object({
    regionId: z.enum(REGIONS),
    az: z.string().regex(/^cn-[a-z]+-\d[a-z]$/, 'must be an availability zone such as cn-north-1a'),
    subnetId,
    securityGroupIds: z.array(securityGroupId).max(5).default([]),
    // The network allow-list: what `jdcloud.com/…` annotations may choose besides the defaults.
    allowedSubnetIds: z.array(subnetId).max(100).default([]),
    allowedSecurityGroupIds: z.array(securityGroupId).max(100).default([]),
    allowedElasticIpProviders: z.array(z.enum(['bgp', 'no_bgp'])).default([]),
    instanceType: z.string().min(1).default('g.n2.medium'),
    systemDisk: systemDiskDefaults.default({ diskType: 'ssd.gp1', sizeGB: 20 }),
  })
  .strict()
  .refine((ns) => ns.az.startsWith(ns.regionId), {
    message: 'must be an availability zone of regionId',
    path: ['az'],
  });

export type NamespaceSettings = z.infer<typeof namespaceSettings>;

const namespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
  .max(63);

/** JSON in an environment variable, then a schema over the parsed value. */
const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const configSchema = z.object({
  PODGATE_ENV: z.enum(['production', 'local', 'test']).default('production'),
  JDCLOUD_ENDPOINT: z.url({ protocol: /^https?$/ }).default('https://pod.jdcloud-api.com'),
  JDCLOUD_ACCESS_KEY_ID: z.string().min(1).optional(),
  JDCLOUD_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  PODGATE_NAMESPACES: json(z.record(namespaceName, namespaceSettings)).optional(),
  PODGATE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  PODGATE_READ_FRESHNESS_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  PODGATE_IDLE_SYNC_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  PODGATE_JD_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  PODGATE_JD_RETRY_BUDGET_MS: z.coerce.number().int().min(0).max(120_000).default(20_000),
  PODGATE_JD_CALLS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(10)
    .max(1_000_000)
    .default(DEFAULT_JD_CALLS_PER_MINUTE),
  PODGATE_TOKENS: json(staticTokenList).optional(),
  ...securityKeys,
});

export interface Config extends SecurityConfig {
  env: 'production' | 'local' | 'test';
  jdcloud: {
    endpoint: string;
    /** Absent until both secrets are set; pod routes answer 503 until then. */
    credentials?: { accessKeyId: string; secretAccessKey: string };
    /** Per-attempt timeout of a JD call (`PODGATE_JD_TIMEOUT_MS`). */
    timeoutMs?: number;
    /** Time within which safe calls are retried (`PODGATE_JD_RETRY_BUDGET_MS`). */
    retryBudgetMs?: number;
    /** JD calls of the whole gateway in any minute (`PODGATE_JD_CALLS_PER_MINUTE`). */
    callsPerMinute?: number;
  };
  namespaces: ReadonlyMap<string, NamespaceSettings>;
  /**
   * How often a namespace syncs from JD Cloud while it is busy: a pod in transition, a watch open,
   * recent reads (`PODGATE_POLL_MS`).
   */
  pollMs: number;
  /**
   * The oldest stored state a read with no resourceVersion accepts before it refreshes from JD
   * Cloud (`PODGATE_READ_FRESHNESS_MS`, default: the poll interval; 0: every read refreshes).
   */
  readFreshnessMs: number;
  /** How often a namespace that is used but idle syncs (`PODGATE_IDLE_SYNC_MS`, 60 s). */
  idleSyncMs: number;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid podgate configuration: ${issues.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Renders a zod issue path the way a user wrote the key: `PODGATE_NAMESPACES.default.az`. */
const keyOf = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** Parses the environment into a `Config`, or throws a `ConfigError` naming every bad key. */
export function parseConfig(env: Record<string, unknown>): Config {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== '' && v !== undefined && v !== null),
  );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${keyOf(i.path)}: ${i.message}`));
  }
  const c = parsed.data;
  const hasKey = c.JDCLOUD_ACCESS_KEY_ID !== undefined;
  const hasSecret = c.JDCLOUD_SECRET_ACCESS_KEY !== undefined;
  if (hasKey !== hasSecret) {
    throw new ConfigError([
      `${hasKey ? 'JDCLOUD_SECRET_ACCESS_KEY' : 'JDCLOUD_ACCESS_KEY_ID'}: must be set together with ${hasKey ? 'JDCLOUD_ACCESS_KEY_ID' : 'JDCLOUD_SECRET_ACCESS_KEY'}`,
    ]);
  }
  const security = securityConfigFrom(c);
  if (Array.isArray(security)) throw new ConfigError(security);
  return {
    ...security,
    env: c.PODGATE_ENV,
    jdcloud: {
      endpoint: c.JDCLOUD_ENDPOINT.replace(/\/+$/, ''),
      timeoutMs: c.PODGATE_JD_TIMEOUT_MS,
      retryBudgetMs: c.PODGATE_JD_RETRY_BUDGET_MS,
      callsPerMinute: c.PODGATE_JD_CALLS_PER_MINUTE,
      ...(c.JDCLOUD_ACCESS_KEY_ID && c.JDCLOUD_SECRET_ACCESS_KEY
        ? {
            credentials: {
              accessKeyId: c.JDCLOUD_ACCESS_KEY_ID,
              secretAccessKey: c.JDCLOUD_SECRET_ACCESS_KEY,
            },
          }
        : {}),
    },
    namespaces: new Map(Object.entries(c.PODGATE_NAMESPACES ?? {})),
    pollMs: c.PODGATE_POLL_MS,
    readFreshnessMs: c.PODGATE_READ_FRESHNESS_MS ?? c.PODGATE_POLL_MS,
    idleSyncMs: c.PODGATE_IDLE_SYNC_MS,
  };
}

const cache = new WeakMap<object, Config | ConfigError>();

/**
 * The configuration for this isolate's `env`, parsed on first use and remembered.
 * Throws the same `ConfigError` on every call while the configuration is bad.
 */
export function configFor(env: object): Config {
  let entry = cache.get(env);
  if (!entry) {
    try {
      entry = parseConfig(env as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      entry = err;
    }
    cache.set(env, entry);
  }
  if (entry instanceof ConfigError) throw entry;
  return entry;
}
