/**
 * zod schemas and types for the core/v1 Pod API objects: Pod, PodList, PodStatus and friends.
 *
 * Naming: `fooSchema` is the zod schema, `Foo` its inferred type. Top-level schemas carry
 * `.meta({ id })` so the OpenAPI generator emits named components. Objects are loose: unknown
 * keys survive a decode (see `unknownFields` for reporting them).
 */
import * as z from 'zod';
import { listMetaSchema, objectMetaSchema } from './meta-v1';
import { podSpecSchema } from './pod-spec';
import { badRequest } from './status';

export * from './meta-v1';
export * from './pod-spec';

const str = z.string();
const int = z.number().int();
const time = str.nullable();

export const containerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: str.optional(), message: str.optional() }).optional(),
  running: z.looseObject({ startedAt: time.optional() }).optional(),
  terminated: z
    .looseObject({
      exitCode: int,
      signal: int.optional(),
      reason: str.optional(),
      message: str.optional(),
      startedAt: time.optional(),
      finishedAt: time.optional(),
      containerID: str.optional(),
    })
    .optional(),
});
export type ContainerState = z.infer<typeof containerStateSchema>;

export const containerStatusSchema = z
  .looseObject({
    name: str,
    state: containerStateSchema.optional(),
    lastState: containerStateSchema.optional(),
    ready: z.boolean(),
    restartCount: int,
    image: str,
    imageID: str,
    containerID: str.optional(),
    started: z.boolean().optional(),
  })
  .meta({ id: 'ContainerStatus', description: 'The observed state of one container.' });
export type ContainerStatus = z.infer<typeof containerStatusSchema>;

export const podConditionSchema = z
  .looseObject({
    type: str,
    status: z.enum(['True', 'False', 'Unknown']),
    lastProbeTime: time.optional(),
    lastTransitionTime: time.optional(),
    reason: str.optional(),
    message: str.optional(),
  })
  .meta({ id: 'PodCondition', description: 'One condition of a pod (Ready, PodScheduled, …).' });
export type PodCondition = z.infer<typeof podConditionSchema>;

const ipSchema = z.looseObject({ ip: str });

export const podStatusSchema = z
  .looseObject({
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    conditions: z.array(podConditionSchema).optional(),
    message: str.optional(),
    reason: str.optional(),
    nominatedNodeName: str.optional(),
    hostIP: str.optional(),
    hostIPs: z.array(ipSchema).optional(),
    podIP: str.optional(),
    podIPs: z.array(ipSchema).optional(),
    startTime: time.optional(),
    // Set by podgate when a spec change (an image rollout) has been carried out on JD Cloud.
    observedGeneration: int.optional(),
    initContainerStatuses: z.array(containerStatusSchema).optional(),
    containerStatuses: z.array(containerStatusSchema).optional(),
    ephemeralContainerStatuses: z.array(containerStatusSchema).optional(),
    qosClass: str.optional(),
    resize: str.optional(),
  })
  .meta({ id: 'PodStatus', description: 'The most recently observed status of a pod.' });
export type PodStatus = z.infer<typeof podStatusSchema>;

export const podSchema = z
  .looseObject({
    apiVersion: str.optional(),
    kind: str.optional(),
    // Defaults mirror Go's zero values, so a bare `{}` decodes and validation (not the decoder)
    // reports the missing pieces with kube's field paths.
    metadata: objectMetaSchema.default({}),
    spec: podSpecSchema.default({ containers: [] }),
    status: podStatusSchema.default({}),
  })
  .meta({
    id: 'Pod',
    description: 'A collection of containers that can run on a host (core/v1 Pod).',
  });
export type Pod = z.infer<typeof podSchema>;

export const podListSchema = z
  .looseObject({
    kind: z.literal('PodList'),
    apiVersion: z.literal('v1'),
    metadata: listMetaSchema,
    items: z.array(podSchema),
  })
  .meta({ id: 'PodList', description: 'A list of pods.' });
export type PodList = z.infer<typeof podListSchema>;

/** Drops `null` members the way Go's decoder treats them (the field keeps its zero value). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/**
 * Decodes a request body into a Pod as the apiserver's decoder would: `null`s are ignored, and a
 * type mismatch is a 400 `Pod in version "v1" cannot be handled as a Pod: …`.
 *
 * @throws StatusError 400 when the JSON does not fit the Pod schema.
 */
export function decodePod(json: unknown): Pod {
  const result = podSchema.safeParse(withoutNulls(json));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw badRequest(
    `Pod in version "v1" cannot be handled as a Pod: ${issue?.message ?? 'invalid'}${where}`,
  );
}
