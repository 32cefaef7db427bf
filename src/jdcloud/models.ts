/**
 * Response models of the JD Cloud pod service, with JD Cloud's own field names
 * (reference/jdcloud-pod-api.md §3): `podStatus`, `createTime`, per-container `containerStatus`.
 *
 * Every object is loose (unknown fields are kept, newer API versions add fields) and every field
 * but an identifier is optional; `null` anywhere is treated as absent, because Go and Python
 * clients of the same API emit `null` for unset fields.
 */
import * as z from 'zod';

export type {
  JdContainerSpec,
  JdFilter,
  JdPodSpec,
  JdProbeSpec,
  JdRebuildContainerSpec,
  JdTagFilter,
  JdVolumeSpec,
} from './specs';

/** Removes `null` values (recursively) so optional fields only ever see `undefined`. */
export function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Plain loops: this copies every JD answer (a LIST of 100 pods is ~5 000 values).
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) if (v !== null) out.push(dropNulls(v));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== null && k !== '__proto__') out[k] = dropNulls(v);
  }
  return out;
}

const str = z.string().optional();
const int = z.number().int().optional();
const bool = z.boolean().optional();
const strings = z.array(z.string()).optional();

const keyValue = z.looseObject({ key: z.string(), value: str });
const nameValue = z.looseObject({ name: z.string(), value: str });

const probe = z.looseObject({
  initialDelaySeconds: int,
  periodSeconds: int,
  timeoutSeconds: int,
  failureThreshold: int,
  successThreshold: int,
  exec: z.looseObject({ command: strings }).optional(),
  httpGet: z
    .looseObject({
      scheme: str,
      host: str,
      port: int,
      path: str,
      httpHeader: z.array(nameValue).optional(),
    })
    .optional(),
  tcpSocket: z.looseObject({ port: int }).optional(),
});

const resourceAmounts = z.looseObject({ cpu: str, memoryMB: str });

const cloudDisk = z.looseObject({
  category: str,
  volumeId: str,
  snapshotId: str,
  diskType: str,
  sizeGB: int,
  fsType: str,
  iops: int,
  autoDelete: bool,
});

const containerState = z.looseObject({
  running: z.looseObject({ startedAt: str }).optional(),
  terminated: z
    .looseObject({
      signal: int,
      exitCode: int,
      reason: str,
      message: str,
      finishedAt: str,
      startedAt: str,
    })
    .optional(),
  waiting: z.looseObject({ reason: str, message: str }).optional(),
});

/** `container.containerStatus`. */
export const jdContainerStatus = z.looseObject({
  name: str,
  restartCount: int,
  ready: bool,
  state: containerState.optional(),
  lastState: containerState.optional(),
});
export type JdContainerStatus = z.infer<typeof jdContainerStatus>;

/** A container of a pod (`describeContainer.result.container`, `pod.containers[]`). */
export const jdContainer = z.looseObject({
  name: z.string(),
  type: str,
  command: strings,
  args: strings,
  env: z.array(nameValue).optional(),
  image: str,
  secret: str,
  tty: bool,
  workingDir: str,
  livenessProbe: probe.optional(),
  readinessProbe: probe.optional(),
  resources: z
    .looseObject({ requests: resourceAmounts.optional(), limits: resourceAmounts.optional() })
    .optional(),
  systemDisk: cloudDisk.optional(),
  volumeMounts: z
    .array(z.looseObject({ name: z.string(), mountPath: str, readOnly: bool, subPath: str }))
    .optional(),
  containerStatus: jdContainerStatus.optional(),
});
export type JdContainer = z.infer<typeof jdContainer>;

/** `pod.podStatus`; `phase` is lowercase (`pending`, `running`, `stopped`, `error`, …). */
export const jdPodStatus = z.looseObject({
  phase: str,
  reason: str,
  message: str,
  podIP: str,
  conditions: z
    .array(
      z.looseObject({
        conditionType: str,
        status: str,
        reason: str,
        message: str,
        lastProbeTime: str,
        lastTransitionTime: str,
      }),
    )
    .optional(),
  startTime: str,
});
export type JdPodStatus = z.infer<typeof jdPodStatus>;

const volume = z.looseObject({
  name: z.string(),
  jdcloudDisk: cloudDisk.extend({ formatVolume: bool }).optional(),
  cfs: z.looseObject({ mountTargetId: str, path: str }).optional(),
  configFile: z
    .looseObject({
      name: str,
      defaultMode: str,
      fileToPath: z.array(z.looseObject({ key: str, path: str, mode: str })).optional(),
    })
    .optional(),
  emptyDir: z.looseObject({ sizeMB: int }).optional(),
});

const ipInfo = z.looseObject({ privateIpAddress: str, elasticIpId: str, elasticIpAddress: str });

/** A pod as `describePod`/`describePods` return it. */
export const jdPod = z.looseObject({
  podId: z.string(),
  name: str,
  description: str,
  az: str,
  hostname: str,
  ag: z.looseObject({ id: str }).optional(),
  instanceType: str,
  restartPolicy: str,
  terminationGracePeriodSeconds: int,
  vpcId: str,
  subnetId: str,
  privateIpAddress: str,
  dnsConfig: z
    .looseObject({
      nameservers: strings,
      searches: strings,
      options: z.array(nameValue).optional(),
    })
    .optional(),
  logConfig: z.looseObject({ logDriver: str }).optional(),
  hostAliases: z.array(z.looseObject({ hostnames: strings, ip: str })).optional(),
  volumes: z.array(volume).optional(),
  containers: z.array(jdContainer).optional(),
  podStatus: jdPodStatus.optional(),
  elasticIp: z.looseObject({ elasticIpId: str, elasticIpAddress: str }).optional(),
  primaryNetworkInterface: z
    .looseObject({
      autoDelete: bool,
      deviceIndex: int,
      attachStatus: str,
      attachTime: str,
      networkInterface: z
        .looseObject({
          networkInterfaceId: str,
          macAddress: str,
          vpcId: str,
          subnetId: str,
          description: str,
          securityGroups: z.array(z.looseObject({ groupId: str, groupName: str })).optional(),
          sanityCheck: z.union([z.boolean(), z.number()]).optional(),
          primaryIp: ipInfo.optional(),
          secondaryIps: z.array(ipInfo).optional(),
          ipv6Addresses: strings,
        })
        .optional(),
    })
    .optional(),
  tags: z.array(keyValue).optional(),
  charge: z
    .looseObject({
      chargeMode: str,
      chargeStatus: str,
      chargeStartTime: str,
      chargeExpiredTime: str,
      chargeRetireTime: str,
    })
    .optional(),
  createTime: str,
  resourceGroupId: str,
});
export type JdPod = z.infer<typeof jdPod>;

/** `describeInstanceTypes.result.instanceTypes[]`. */
export const jdInstanceType = z.looseObject({
  family: str,
  instanceType: z.string(),
  cpu: int,
  memoryMB: int,
  nicLimit: int,
  desc: str,
  state: z.array(z.looseObject({ az: str, inStock: bool, online: bool })).optional(),
  cloudDiskTypes: strings,
});
export type JdInstanceType = z.infer<typeof jdInstanceType>;

/** `describeQuota.result.quota`. */
export const jdQuota = z.looseObject({ resourceType: str, limit: int, used: int });
export type JdQuota = z.infer<typeof jdQuota>;

/** A docker-registry secret (`describeSecret(s)`). */
export const jdSecret = z.looseObject({
  name: z.string(),
  type: str,
  createdAt: str,
  data: z.looseObject({ server: str, username: str, password: str, email: str }).optional(),
});
export type JdSecret = z.infer<typeof jdSecret>;
