/**
 * Request bodies of the smaller operations (resize, attributes, EIPs, exec, secrets,
 * configFiles), with the limits the reference gives for each.
 */
import * as z from 'zod';
import { bool, dnsSubdomain, intIn, list, oneOf, resourceId, text } from './schema-parts';

export const resizePodBody = z.object({
  instanceType: text(1, 64),
  containerResources: z
    .array(
      z.object({
        name: text(1, 63),
        resources: z
          .object({
            requests: z
              .object({ cpu: z.string().optional(), memoryMB: z.string().optional() })
              .optional(),
            limits: z
              .object({ cpu: z.string().optional(), memoryMB: z.string().optional() })
              .optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

export const modifyPodAttributeBody = z.object({ description: text(0, 256).optional() });

/** checkPodName validates the name itself, so it is only required to be a string here. */
export const checkPodNameBody = z.object({
  podName: z.string({ error: 'is required' }),
  maxCount: intIn(1, 100).optional(),
});

export const elasticIpBody = z.object({ elasticIpId: resourceId('fip') });

export const execCreateBody = z.object({
  command: list(z.string(), 1, 256),
  tty: bool.optional(),
});

export const resizeTTYBody = z.object({
  height: intIn(10, 2000),
  width: intIn(10, 1000),
  execId: z.string().optional(),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const base64Value = (maxBytes: number) =>
  z
    .string()
    .regex(BASE64, 'must be base64 without newlines')
    .max(Math.ceil((maxBytes * 4) / 3) + 4, `must not exceed ${maxBytes / 1024}KB`);

export const createSecretBody = z.object({
  name: dnsSubdomain,
  secretType: oneOf(['docker-registry']),
  data: z.object({
    server: base64Value(4096),
    username: base64Value(4096),
    password: base64Value(4096),
    email: base64Value(4096).optional(),
  }),
});

const configFileData = list(
  z.object({
    key: text(1, 128).regex(/^[A-Za-z0-9_.-]+$/, 'must contain only letters, digits, -, _ and .'),
    value: base64Value(32 * 1024),
  }),
  0,
  32,
).refine(
  (items) => items.reduce((n, i) => n + i.value.length, 0) <= (1024 * 1024 * 4) / 3,
  'total size must not exceed 1MB',
);

export const createConfigFileBody = z.object({
  name: text(1, 63).regex(/^[a-z0-9-]+$/, 'must contain only lowercase letters, digits and -'),
  data: configFileData.optional(),
});

export const updateConfigFileBody = z.object({ data: configFileData });
