/**
 * createPods and rebuildPod request bodies, field by field from the seed tables
 * (seeds/003 createPods, seeds/000 rebuildPod). Unknown keys are stripped, never rejected,
 * because the Go and Python SDKs send path parameters (`regionId`, `podId`) in the body.
 */
import * as z from 'zod';
import {
  absolutePath,
  bool,
  dnsLabel,
  dnsSubdomain,
  envList,
  hostname,
  intIn,
  ipv4,
  list,
  oneOf,
  probe,
  resourceId,
  stringsTotalling,
  text,
  uniqueBy,
  volumeMount,
} from './schema-parts';

const DISK_TYPES = ['hdd.std1', 'ssd.gp1', 'ssd.io1'] as const;

/** A size in GB in [min, max], step 10. */
const diskSize = (min: number, max: number) =>
  intIn(min, max).refine((n) => n % 10 === 0, `must be a multiple of 10 in [${min},${max}]`);

const systemDisk = z.object({
  category: oneOf(['cloud']).optional(),
  volumeId: resourceId('vol').optional(),
  name: text(1, 32).optional(),
  snapshotId: z.string().optional(),
  diskType: oneOf(DISK_TYPES).optional(),
  sizeGB: diskSize(20, 100).optional(),
  fsType: oneOf(['xfs', 'ext4']).optional(),
  iops: intIn(0, 1_000_000).optional(),
  autoDelete: bool.optional(),
});

const resourceAmounts = z.object({ cpu: z.string().optional(), memoryMB: z.string().optional() });

/** Fields a container shares between createPods and rebuildPod. */
const containerCommon = {
  name: dnsLabel,
  command: stringsTotalling(256).optional(),
  args: stringsTotalling(2048).optional(),
  env: envList.optional(),
  image: text(1, 639),
  secret: z.string().optional(),
  tty: bool.optional(),
  workingDir: absolutePath(1024).optional(),
  livenessProbe: probe.optional(),
  readinessProbe: probe.optional(),
  volumeMounts: z.array(volumeMount).superRefine(uniqueBy('mountPath', 'mountPath')).optional(),
};

const containerSpec = z.object({
  ...containerCommon,
  resources: z
    .object({ requests: resourceAmounts.optional(), limits: resourceAmounts.optional() })
    .optional(),
  systemDisk,
  type: oneOf(['init']).optional(),
});

const volumeSpec = z
  .object({
    name: dnsLabel,
    jdcloudDisk: z
      .object({
        volumeId: resourceId('vol').optional(),
        name: text(1, 32).optional(),
        snapshotId: z.string().optional(),
        diskType: oneOf(DISK_TYPES).optional(),
        sizeGB: diskSize(20, 4000).optional(),
        fsType: oneOf(['xfs', 'ext4']),
        formatVolume: bool.optional(),
        iops: intIn(0, 1_000_000).optional(),
        autoDelete: bool.optional(),
      })
      .optional(),
    cfs: z.object({ mountTargetId: z.string(), path: z.string().optional() }).optional(),
    configFile: z
      .object({
        name: dnsLabel,
        defaultMode: z.string().optional(),
        fileToPath: z
          .array(z.object({ key: z.string(), path: z.string(), mode: z.string().optional() }))
          .optional(),
      })
      .optional(),
    emptyDir: z.object({ sizeMB: intIn(10, 1024).optional() }).optional(),
  })
  .refine((v) => v.jdcloudDisk || v.cfs || v.configFile || v.emptyDir, {
    message: 'is required',
    path: ['jdcloudDisk'],
  });

const chargeSpec = z
  .object({
    chargeMode: oneOf([
      'prepaid_by_duration',
      'postpaid_by_usage',
      'postpaid_by_duration',
    ]).optional(),
    chargeUnit: oneOf(['month', 'year']).optional(),
    chargeDuration: z.number().int().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.chargeMode !== 'prepaid_by_duration' || c.chargeDuration === undefined) return;
    const max = c.chargeUnit === 'year' ? 3 : 9;
    if (c.chargeDuration < 1 || c.chargeDuration > max) {
      ctx.addIssue({ code: 'custom', path: ['chargeDuration'], message: `must be in [1,${max}]` });
    }
  });

const networkInterface = z.object({
  subnetId: resourceId('subnet'),
  az: z.string().optional(),
  networkInterfaceName: z
    .string()
    .regex(
      /^[\p{Script=Han}0-9A-Za-z_-]{1,32}$/u,
      'must be 1-32 Chinese characters, letters, digits, _ or -',
    )
    .optional(),
  primaryIpAddress: ipv4.optional(),
  secondaryIpAddresses: z.array(ipv4).optional(),
  secondaryIpCount: intIn(0, 100).optional(),
  securityGroups: list(resourceId('sg'), 0, 5).optional(),
  sanityCheck: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }).optional(),
  description: text(0, 256).optional(),
});

const podSpec = z.object({
  name: dnsSubdomain,
  description: text(0, 256).optional(),
  hostname: hostname.optional(),
  restartPolicy: oneOf(['Always', 'OnFailure', 'Never']).optional(),
  terminationGracePeriodSeconds: intIn(0, 300).optional(),
  instanceType: text(1, 64),
  az: text(1, 32),
  agId: z.string().optional(),
  dnsConfig: z
    .object({
      nameservers: list(ipv4, 0, 20).optional(),
      searches: list(z.string(), 0, 6)
        .refine((xs) => xs.join('').length <= 256, 'total length must not exceed 256')
        .optional(),
      options: list(
        z.object({ name: text(1, 63), value: text(0, 100).optional() }),
        0,
        10,
      ).optional(),
    })
    .optional(),
  logConfig: z.object({ logDriver: oneOf(['default']).optional() }).optional(),
  hostAliases: list(z.object({ hostnames: list(hostname, 1, 10), ip: ipv4 }), 0, 10).optional(),
  volumes: list(volumeSpec, 0, 7).superRefine(uniqueBy('name', 'volume name')).optional(),
  containers: list(containerSpec, 1, 8).superRefine(uniqueBy('name', 'container name')),
  charge: chargeSpec.optional(),
  elasticIp: z
    .object({
      bandwidthMbps: intIn(1, 100),
      provider: oneOf(['bgp', 'no_bgp']).optional(),
      chargeSpec: chargeSpec.optional(),
    })
    .optional(),
  primaryNetworkInterface: z.object({
    autoDelete: z.literal(true, { error: 'can only be true' }).optional(),
    deviceIndex: z.literal(1, { error: 'can only be 1' }).optional(),
    networkInterface,
  }),
  userTags: z.array(z.object({ key: text(1, 127), value: text(0, 255).optional() })).optional(),
  resourceGroupId: z.string().optional(),
});

/** The createPods body. Cross-field rules (volume mounts, fixed IPs) are in `createPodsRules`. */
export const createPodsBody = z
  .object({
    podSpec,
    maxCount: intIn(1, 100),
    clientToken: text(1, 64)
      .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
      .optional(),
  })
  .superRefine((body, ctx) => {
    const nic = body.podSpec.primaryNetworkInterface.networkInterface;
    if (body.maxCount > 1 && (nic.primaryIpAddress || nic.secondaryIpAddresses?.length)) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxCount'],
        message: 'must be 1 when primaryIpAddress or secondaryIpAddresses is given',
      });
    }
    const volumes = new Set((body.podSpec.volumes ?? []).map((v) => v.name));
    body.podSpec.containers.forEach((c, i) => {
      c.volumeMounts?.forEach((m, j) => {
        if (!volumes.has(m.name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['podSpec', 'containers', i, 'volumeMounts', j, 'name'],
            message: `must name a volume of podSpec.volumes (no volume ${m.name})`,
          });
        }
      });
    });
  });

export type CreatePodsBody = z.infer<typeof createPodsBody>;
export type ContainerSpec = z.infer<typeof containerSpec>;
export type PodSpec = z.infer<typeof podSpec>;

const rebuildContainer = z.object(containerCommon);

/** The rebuildPod body: one entry per container to re-image, names unique. */
export const rebuildPodBody = z.object({
  containers: list(rebuildContainer, 1, 8).superRefine(uniqueBy('name', 'container name')),
});

export type RebuildContainerSpec = z.infer<typeof rebuildContainer>;
