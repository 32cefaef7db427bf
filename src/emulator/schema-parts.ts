/**
 * Building blocks for the request schemas: the formats and ranges the JD seed tables state
 * (DNS-1123 names, hostnames, env names, resource ids, probes, env lists), each failing with
 * a message short enough to follow the field name in a 400 INVALID_ARGUMENT.
 */
import * as z from 'zod';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_LABEL = /^[0-9a-zA-Z]([-0-9a-zA-Z]*[0-9a-zA-Z])?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An integer in [min, max]. */
export const intIn = (min: number, max: number) =>
  z
    .number({ error: 'must be an integer' })
    .int(`must be an integer in [${min},${max}]`)
    .min(min, `must be in [${min},${max}]`)
    .max(max, `must be in [${min},${max}]`);

/** A string of length [min, max]. */
export const text = (min: number, max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(min, min === 1 ? 'must not be empty' : `length must be in [${min},${max}]`)
    .max(max, `length must be in [${min},${max}]`);

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const bool = z.boolean({ error: 'must be a boolean' });

/** A list of [min, max] items. */
export const list = <T extends z.ZodType>(item: T, min: number, max: number) =>
  z
    .array(item, { error: 'must be an array' })
    .min(min, `must have between ${min} and ${max} items`)
    .max(max, `must have between ${min} and ${max} items`);

/** A list of strings whose characters add up to at most `total` (command, args). */
export const stringsTotalling = (total: number) =>
  z
    .array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' })
    .refine((xs) => xs.join('').length <= total, `total length must not exceed ${total}`);

export const dnsLabel = text(1, 63).regex(DNS_LABEL, 'must be a DNS-1123 label');
export const dnsSubdomain = text(1, 253).regex(DNS_SUBDOMAIN, 'must be a DNS-1123 subdomain');
export const ipv4 = z.string({ error: 'must be a string' }).regex(IPV4, 'must be an IPv4 address');

/** Hostname as the createPods doc defines it: labels joined by dots, ≤63 characters in all. */
export const hostname = text(1, 63).refine(
  (h) => h.split('.').every((label) => HOST_LABEL.test(label)),
  'must be a hostname: labels of 0-9, a-z and -, not starting or ending with - or .',
);

/** A JD resource id of a given prefix (`subnet-…`, `sg-…`, `fip-…`, `vol-…`). */
export const resourceId = (prefix: string) =>
  z
    .string({ error: 'must be a string' })
    .regex(new RegExp(`^${prefix}-[a-z0-9]+$`), `must be an id of the form ${prefix}-xxxx`);

/** An absolute path of [1, max] characters. */
export const absolutePath = (max: number) =>
  text(1, max).refine((p) => p.startsWith('/'), 'must be an absolute path');

/**
 * Env var names: the rebuildPod/createPods tables say "letters, digits and underscore" but print
 * the regex `^[a-zA-Z0-9]*$`; the prose wins, since real images rely on names like `JAVA_OPTS`.
 */
export const envList = list(
  z.object({
    name: text(1, 64).regex(/^[a-zA-Z0-9_]+$/, 'must contain only letters, digits and _'),
    value: text(0, 1024).optional(),
  }),
  0,
  100,
);

const port = intIn(1, 65535);

/** ProbeSpec with the ranges of the seed tables. */
export const probe = z.object({
  initialDelaySeconds: intIn(0, 300).optional(),
  periodSeconds: intIn(1, 300).optional(),
  timeoutSeconds: intIn(1, 300).optional(),
  failureThreshold: intIn(1, 10).optional(),
  successThreshold: intIn(1, 10).optional(),
  exec: z.object({ command: stringsTotalling(256) }).optional(),
  httpGet: z
    .object({
      scheme: oneOf(['http', 'https', 'HTTP', 'HTTPS']).optional(),
      host: text(0, 253).optional(),
      port,
      path: text(1, 256),
      httpHeader: z.array(z.object({ name: text(1, 64), value: z.string() })).optional(),
    })
    .optional(),
  tcpSocket: z.object({ port }).optional(),
});

/** VolumeMountSpec: absolute, not `/`. */
export const volumeMount = z.object({
  name: dnsLabel,
  mountPath: absolutePath(1024).refine((p) => p !== '/', 'must not be the root directory'),
  readOnly: bool.optional(),
  subPath: z.string().optional(),
});

/** Refines a list of objects so that `key` is unique within it. */
export const uniqueBy =
  <K extends string>(key: K, what: string) =>
  (items: Record<K, unknown>[], ctx: z.RefinementCtx) => {
    const seen = new Set<unknown>();
    items.forEach((item, i) => {
      if (seen.has(item[key])) {
        ctx.addIssue({
          code: 'custom',
          path: [i, key],
          message: `duplicate ${what} ${String(item[key])}`,
        });
      }
      seen.add(item[key]);
    });
  };
