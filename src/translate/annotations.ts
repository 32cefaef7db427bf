/**
 * Where and on what a pod runs: JD Cloud choices Kubernetes has no field for, read from
 * `jdcloud.com/…` annotations, else from the Pod's resource requests, else the namespace.
 *
 * | annotation                              | JD createPods field                          | default                      |
 * |-----------------------------------------|----------------------------------------------|------------------------------|
 * | `jdcloud.com/instance-type`             | `instanceType`                               | smallest fitting type, else namespace `instanceType` |
 * | `jdcloud.com/az`                        | `az`                                         | namespace `az`               |
 * | `jdcloud.com/subnet-id`                 | `primaryNetworkInterface…subnetId`           | namespace `subnetId`         |
 * | `jdcloud.com/security-group-ids`        | `…networkInterface.securityGroups` (comma-separated, ≤5) | namespace `securityGroupIds` |
 * | `jdcloud.com/elastic-ip-bandwidth-mbps` | `elasticIp.bandwidthMbps` (1-100)            | no elastic IP                |
 * | `jdcloud.com/elastic-ip-provider`       | `elasticIp.provider` (`bgp`, `no_bgp`)       | JD's (`bgp`)                 |
 * | `jdcloud.com/system-disk-type`          | every container's `systemDisk.diskType`      | namespace `systemDisk.diskType` |
 * | `jdcloud.com/system-disk-size-gb`       | every container's `systemDisk.sizeGB` (20-100, step 10) | namespace `systemDisk.sizeGB` |
 *
 * Any other `jdcloud.com/` key is refused, so a misspelt annotation is not silently ignored.
 */
import type { NamespaceSettings } from '../config';
import type { JdInstanceType } from '../jdcloud/models';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../k8s/field-errors';
import type { FieldError } from '../k8s/status';
import { availableIn, chooseInstanceType, fits } from './instance-types';
import { type Amounts, describeAmounts } from './resources';

export const JD_ANNOTATIONS = {
  instanceType: 'jdcloud.com/instance-type',
  az: 'jdcloud.com/az',
  subnetId: 'jdcloud.com/subnet-id',
  securityGroupIds: 'jdcloud.com/security-group-ids',
  elasticIpBandwidthMbps: 'jdcloud.com/elastic-ip-bandwidth-mbps',
  elasticIpProvider: 'jdcloud.com/elastic-ip-provider',
  systemDiskType: 'jdcloud.com/system-disk-type',
  systemDiskSizeGB: 'jdcloud.com/system-disk-size-gb',
} as const;

/** Every annotation key podgate reads, for documentation and the OpenAPI description. */
export const JD_ANNOTATION_KEYS: readonly string[] = Object.values(JD_ANNOTATIONS);

const DISK_TYPES = ['hdd.std1', 'ssd.gp1', 'ssd.io1'] as const;
const EIP_PROVIDERS = ['bgp', 'no_bgp'] as const;
const MAX_SECURITY_GROUPS = 5;

export interface Placement {
  instanceType: string;
  az: string;
  subnetId: string;
  securityGroupIds: string[];
  elasticIp?: { bandwidthMbps: number; provider?: (typeof EIP_PROVIDERS)[number] };
  systemDisk: { diskType: (typeof DISK_TYPES)[number]; sizeGB: number };
}

const pathOf = (key: string) => `metadata.annotations[${key}]`;

/** An integer annotation in [min, max] (and a multiple of `step`), or undefined after an error. */
function intAnnotation(
  key: string,
  value: string,
  min: number,
  max: number,
  step: number,
  errs: FieldError[],
) {
  const n = Number(value);
  if (/^\d+$/.test(value) && n >= min && n <= max && n % step === 0) return n;
  const stepText = step > 1 ? ` in steps of ${step}` : '';
  errs.push(
    fieldInvalid(pathOf(key), value, `must be an integer between ${min} and ${max}${stepText}`),
  );
  return undefined;
}

function oneOf<T extends string>(
  key: string,
  value: string,
  allowed: readonly T[],
  errs: FieldError[],
) {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errs.push(fieldNotSupported(pathOf(key), value, allowed));
  return undefined;
}

function instanceTypeOf(
  requested: string | undefined,
  ctx: { az: string; need: Amounts; fallback: string; catalogue: readonly JdInstanceType[] },
  errs: FieldError[],
): string {
  const { az, need, fallback, catalogue } = ctx;
  const key = JD_ANNOTATIONS.instanceType;
  if (requested !== undefined) {
    // Without a catalogue there is nothing to check against; JD Cloud will judge the name.
    if (catalogue.length === 0) return requested;
    const type = catalogue.find((t) => t.instanceType === requested);
    const sold = catalogue.filter((t) => availableIn(t, az)).map((t) => t.instanceType);
    if (!type) errs.push(fieldNotSupported(pathOf(key), requested, sold.sort()));
    else if (!availableIn(type, az))
      errs.push(fieldInvalid(pathOf(key), requested, `is not available in ${az}`));
    else if (!fits(type, need)) {
      errs.push(
        fieldInvalid(
          pathOf(key),
          requested,
          `has ${type.cpu} vCPU and ${type.memoryMB}Mi, less than the pod requests (${describeAmounts(need)})`,
        ),
      );
    }
    return requested;
  }
  if (catalogue.length === 0 || (need.cpuMillis === 0 && need.memoryMiB === 0)) return fallback;
  const chosen = chooseInstanceType(catalogue, az, need);
  if (!chosen) {
    errs.push(
      fieldForbidden(
        'spec.containers',
        `the pod requests ${describeAmounts(need)}; no JD Cloud instance type available in ${az} is that large`,
      ),
    );
    return fallback;
  }
  return chosen.instanceType;
}

/**
 * The pod's placement. Errors name the annotation (`metadata.annotations[jdcloud.com/az]`), or
 * `spec.containers` when no instance type is large enough for the requests.
 */
export function placementOf(
  annotations: Readonly<Record<string, string>> | undefined,
  ns: NamespaceSettings,
  need: Amounts,
  catalogue: readonly JdInstanceType[],
  errs: FieldError[],
): Placement {
  const a = annotations ?? {};
  for (const key of Object.keys(a)) {
    if (key.startsWith('jdcloud.com/') && !JD_ANNOTATION_KEYS.includes(key)) {
      errs.push(fieldNotSupported(`metadata.annotations`, key, JD_ANNOTATION_KEYS));
    }
  }
  let az = ns.az;
  const azValue = a[JD_ANNOTATIONS.az];
  if (azValue !== undefined) {
    if (/^cn-[a-z]+-\d[a-z]$/.test(azValue) && azValue.startsWith(ns.regionId)) az = azValue;
    else
      errs.push(
        fieldInvalid(
          pathOf(JD_ANNOTATIONS.az),
          azValue,
          `must be an availability zone of ${ns.regionId}`,
        ),
      );
  }
  let subnetId = ns.subnetId;
  const subnetValue = a[JD_ANNOTATIONS.subnetId];
  if (subnetValue !== undefined) {
    if (/^subnet-[a-z0-9]+$/.test(subnetValue)) subnetId = subnetValue;
    else
      errs.push(
        fieldInvalid(
          pathOf(JD_ANNOTATIONS.subnetId),
          subnetValue,
          'must be a subnet id (subnet-…)',
        ),
      );
  }
  let securityGroupIds = [...ns.securityGroupIds];
  const sgValue = a[JD_ANNOTATIONS.securityGroupIds];
  if (sgValue !== undefined) {
    const ids = [
      ...new Set(
        sgValue
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    if (ids.length > MAX_SECURITY_GROUPS || ids.some((id) => !/^sg-[a-z0-9]+$/.test(id))) {
      errs.push(
        fieldInvalid(
          pathOf(JD_ANNOTATIONS.securityGroupIds),
          sgValue,
          `must be at most ${MAX_SECURITY_GROUPS} comma-separated security group ids (sg-…)`,
        ),
      );
    } else securityGroupIds = ids;
  }
  const placement: Placement = {
    instanceType: instanceTypeOf(
      a[JD_ANNOTATIONS.instanceType],
      { az, need, fallback: ns.instanceType, catalogue },
      errs,
    ),
    az,
    subnetId,
    securityGroupIds,
    systemDisk: { ...ns.systemDisk },
  };
  const bandwidth = a[JD_ANNOTATIONS.elasticIpBandwidthMbps];
  const provider = a[JD_ANNOTATIONS.elasticIpProvider];
  if (bandwidth !== undefined) {
    const bandwidthMbps = intAnnotation(
      JD_ANNOTATIONS.elasticIpBandwidthMbps,
      bandwidth,
      1,
      100,
      1,
      errs,
    );
    const p =
      provider === undefined
        ? undefined
        : oneOf(JD_ANNOTATIONS.elasticIpProvider, provider, EIP_PROVIDERS, errs);
    if (bandwidthMbps !== undefined)
      placement.elasticIp = { bandwidthMbps, ...(p && { provider: p }) };
  } else if (provider !== undefined) {
    errs.push(
      fieldForbidden(
        pathOf(JD_ANNOTATIONS.elasticIpProvider),
        `requires ${JD_ANNOTATIONS.elasticIpBandwidthMbps}`,
      ),
    );
  }
  const diskType = a[JD_ANNOTATIONS.systemDiskType];
  if (diskType !== undefined) {
    const t = oneOf(JD_ANNOTATIONS.systemDiskType, diskType, DISK_TYPES, errs);
    if (t) placement.systemDisk.diskType = t;
  }
  const diskSize = a[JD_ANNOTATIONS.systemDiskSizeGB];
  if (diskSize !== undefined) {
    const n = intAnnotation(JD_ANNOTATIONS.systemDiskSizeGB, diskSize, 20, 100, 10, errs);
    if (n !== undefined) placement.systemDisk.sizeGB = n;
  }
  return placement;
}
