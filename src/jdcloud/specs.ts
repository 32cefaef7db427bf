/**
 * Request shapes of the JD Cloud pod service (createPods podSpec, rebuildPod containers, filters),
 * with JD Cloud's exact JSON names (reference/jdcloud-pod-api.md §2.4, seeds 000/003).
 * Only the fields a caller sets are sent; JD Cloud applies its own defaults to the rest.
 */

/** `{name, value}` pairs: env vars, DNS options, HTTP probe headers. */
export interface JdNameValue {
  name: string;
  value?: string;
}

/** ProbeSpec: one of `exec`, `httpGet`, `tcpSocket`, plus timing. */
export interface JdProbeSpec {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  exec?: { command: string[] };
  httpGet?: {
    scheme?: 'http' | 'https';
    host?: string;
    port: number;
    path: string;
    httpHeader?: JdNameValue[];
  };
  tcpSocket?: { port: number };
}

/** CloudDiskSpec: a container's system disk or a pod's data volume disk. */
export interface JdCloudDiskSpec {
  category?: 'cloud' | 'local';
  volumeId?: string;
  name?: string;
  snapshotId?: string;
  diskType?: 'hdd.std1' | 'ssd.gp1' | 'ssd.io1';
  sizeGB?: number;
  fsType?: 'xfs' | 'ext4';
  iops?: number;
  autoDelete?: boolean;
  formatVolume?: boolean;
}

/** VolumeMountSpec. */
export interface JdVolumeMountSpec {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** Fields a container has in both createPods and rebuildPod. */
interface JdContainerCommon {
  name: string;
  command?: string[];
  args?: string[];
  env?: JdNameValue[];
  image: string;
  secret?: string;
  tty?: boolean;
  workingDir?: string;
  livenessProbe?: JdProbeSpec;
  readinessProbe?: JdProbeSpec;
  volumeMounts?: JdVolumeMountSpec[];
}

/** ContainerSpec (createPods `podSpec.containers[]`). */
export interface JdContainerSpec extends JdContainerCommon {
  resources?: {
    requests?: { cpu?: string; memoryMB?: string };
    limits?: { cpu?: string; memoryMB?: string };
  };
  systemDisk: JdCloudDiskSpec;
  /** `init` marks an init container (API 2.x). */
  type?: 'init';
}

/** RebuildContainerSpec (rebuildPod `containers[]`): no resources or disks. */
export type JdRebuildContainerSpec = JdContainerCommon;

/** VolumeSpec (createPods `podSpec.volumes[]`). */
export interface JdVolumeSpec {
  name: string;
  jdcloudDisk?: JdCloudDiskSpec;
  cfs?: { mountTargetId: string; path?: string };
  configFile?: {
    name: string;
    defaultMode?: string;
    fileToPath?: { key: string; path: string; mode?: string }[];
  };
  emptyDir?: { sizeMB?: number };
}

/** ChargeSpec. */
export interface JdChargeSpec {
  chargeMode?: 'prepaid_by_duration' | 'postpaid_by_usage' | 'postpaid_by_duration';
  chargeUnit?: 'month' | 'year';
  chargeDuration?: number;
}

/** PodSpec (createPods `podSpec`). */
export interface JdPodSpec {
  name: string;
  description?: string;
  hostname?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  instanceType: string;
  az: string;
  agId?: string;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: JdNameValue[] };
  logConfig?: { logDriver: 'default' };
  hostAliases?: { hostnames: string[]; ip: string }[];
  volumes?: JdVolumeSpec[];
  containers: JdContainerSpec[];
  charge?: JdChargeSpec;
  elasticIp?: { bandwidthMbps: number; provider?: 'bgp' | 'no_bgp'; chargeSpec?: JdChargeSpec };
  primaryNetworkInterface: {
    autoDelete?: boolean;
    deviceIndex?: number;
    networkInterface: {
      subnetId: string;
      az?: string;
      networkInterfaceName?: string;
      primaryIpAddress?: string;
      secondaryIpAddresses?: string[];
      secondaryIpCount?: number;
      securityGroups?: string[];
      sanityCheck?: 0 | 1;
      description?: string;
    };
  };
  userTags?: { key: string; value: string }[];
}

/** A list filter: `filters.N.name`, `filters.N.operator`, `filters.N.values.M`. */
export interface JdFilter {
  name: string;
  values: readonly string[];
  operator?: 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'ne' | 'in' | 'like';
}

/** A tag filter: `tags.N.key`, `tags.N.values.M`. */
export interface JdTagFilter {
  key: string;
  values: readonly string[];
}
