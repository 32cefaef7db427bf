/**
 * Renders stored records in JD Cloud's response shapes (reference §3): `podStatus` with
 * `conditions[].conditionType`, each container's `containerStatus` with state/lastState,
 * `createTime` as ISO-8601 UTC without milliseconds.
 */
import type { ContainerRecord, Phase, PodRecord } from './lifecycle';

/** `YYYY-MM-DDTHH:mm:ssZ`, the format of JD's charge and create times. */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** How a container's run ended: stopped by stopPod, unless its pod failed (`error`). */
type Ending = { reason: string; message: string } | undefined;

const terminated = (run: { startedAt: number; finishedAt: number }, failure?: Ending) => ({
  terminated: {
    signal: failure ? 0 : 15,
    exitCode: failure ? 1 : 0,
    reason: failure ? failure.reason : 'Completed',
    message: failure ? failure.message : 'container stopped by stopPod',
    startedAt: isoTime(run.startedAt),
    finishedAt: isoTime(run.finishedAt),
  },
});

const lastRun = (c: ContainerRecord) =>
  c.startedAt !== undefined && c.finishedAt !== undefined
    ? { startedAt: c.startedAt, finishedAt: c.finishedAt }
    : undefined;

/** `state` and `lastState` of a container, Kubernetes-style (waiting / running / terminated). */
function containerStates(c: ContainerRecord, phase: Phase, failure?: Ending) {
  const finished = lastRun(c);
  if (phase === 'pending' || phase === 'starting') {
    // A container being (re)started waits; the run that just ended becomes its history.
    const history = finished ?? c.previousRun;
    return {
      state: { waiting: { reason: 'ContainerCreating', message: '' } },
      lastState: history ? terminated(history) : {},
    };
  }
  const lastState = c.previousRun ? terminated(c.previousRun) : {};
  if (finished)
    return { state: terminated(finished, phase === 'error' ? failure : undefined), lastState };
  if (phase === 'error') {
    // Failed before it ever ran (JD: "exception creating instance").
    return {
      state: { waiting: { reason: failure?.reason ?? 'Error', message: failure?.message ?? '' } },
      lastState,
    };
  }
  if (c.startedAt !== undefined) {
    return { state: { running: { startedAt: isoTime(c.startedAt) } }, lastState };
  }
  return { state: { waiting: { reason: 'ContainerCreating', message: '' } }, lastState };
}

/** A JD `Container` with its `containerStatus`. */
export function renderContainer(c: ContainerRecord, phase: Phase, failure?: Ending) {
  const { systemDisk, ...spec } = c.spec;
  return {
    ...spec,
    systemDisk: {
      category: 'cloud',
      diskType: systemDisk.diskType ?? 'ssd.gp1',
      sizeGB: systemDisk.sizeGB ?? 20,
      fsType: systemDisk.fsType ?? 'xfs',
      autoDelete: systemDisk.autoDelete ?? true,
      ...(systemDisk.volumeId ? { volumeId: systemDisk.volumeId } : {}),
      ...(systemDisk.snapshotId ? { snapshotId: systemDisk.snapshotId } : {}),
      ...(systemDisk.iops !== undefined ? { iops: systemDisk.iops } : {}),
    },
    containerStatus: {
      name: c.spec.name,
      restartCount: c.restartCount,
      ready: phase === 'running',
      ...containerStates(c, phase, failure),
    },
  };
}

/** `podStatus`: phase, podIP, the Ready condition and when the pod first ran. */
export function renderPodStatus(pod: PodRecord) {
  const ready = pod.phase === 'running';
  return {
    phase: pod.phase,
    reason: pod.phase === 'error' ? (pod.failure?.reason ?? 'Error') : '',
    message: pod.phase === 'error' ? (pod.failure?.message ?? '') : '',
    podIP: pod.privateIpAddress,
    conditions: [
      {
        conditionType: 'Ready',
        status: ready ? 'True' : 'False',
        lastProbeTime: isoTime(pod.phaseSince),
        lastTransitionTime: isoTime(pod.phaseSince),
        reason: ready ? '' : 'PodNotRunning',
        message: ready ? '' : `pod is ${pod.phase}`,
      },
    ],
    ...(pod.startTime !== undefined ? { startTime: isoTime(pod.startTime) } : {}),
  };
}

/** A JD `Pod` (describePod / describePods). */
export function renderPod(pod: PodRecord) {
  const { spec } = pod;
  const nic = spec.primaryNetworkInterface.networkInterface;
  const eip = pod.elasticIp ?? { elasticIpId: '', elasticIpAddress: '' };
  return {
    podId: pod.podId,
    name: spec.name,
    description: spec.description ?? '',
    az: spec.az,
    hostname: spec.hostname,
    ...(spec.agId ? { ag: { id: spec.agId } } : {}),
    instanceType: spec.instanceType,
    restartPolicy: spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    vpcId: pod.vpcId,
    subnetId: nic.subnetId,
    privateIpAddress: pod.privateIpAddress,
    dnsConfig: {
      nameservers: spec.dnsConfig?.nameservers ?? [],
      searches: spec.dnsConfig?.searches ?? [],
      options: spec.dnsConfig?.options ?? [],
    },
    logConfig: { logDriver: spec.logConfig?.logDriver ?? 'default' },
    hostAliases: spec.hostAliases ?? [],
    volumes: spec.volumes ?? [],
    containers: pod.containers.map((c) => renderContainer(c, pod.phase, pod.failure)),
    podStatus: renderPodStatus(pod),
    elasticIp: eip,
    primaryNetworkInterface: {
      autoDelete: true,
      deviceIndex: 1,
      attachStatus: 'attached',
      attachTime: isoTime(pod.createTime),
      networkInterface: {
        networkInterfaceId: pod.networkInterfaceId,
        macAddress: macAddressOf(pod.privateIpAddress),
        vpcId: pod.vpcId,
        subnetId: nic.subnetId,
        description: nic.description ?? '',
        securityGroups: (nic.securityGroups ?? []).map((groupId) => ({
          groupId,
          groupName: groupId,
        })),
        sanityCheck: (nic.sanityCheck ?? 1) === 1,
        primaryIp: { privateIpAddress: pod.privateIpAddress, ...eip },
        secondaryIps: (nic.secondaryIpAddresses ?? []).map((privateIpAddress) => ({
          privateIpAddress,
          elasticIpId: '',
          elasticIpAddress: '',
        })),
        ipv6Addresses: [],
        ipv6AddressesInfo: [],
      },
    },
    tags: (spec.userTags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
    charge: {
      chargeMode: spec.charge?.chargeMode ?? 'postpaid_by_duration',
      chargeStatus: 'normal',
      chargeStartTime: isoTime(pod.createTime),
      chargeExpiredTime: '',
      chargeRetireTime: '',
    },
    createTime: isoTime(pod.createTime),
    ...(spec.resourceGroupId ? { resourceGroupId: spec.resourceGroupId } : {}),
  };
}

/** describePodsStatus' `BriefPodStatus`. */
export function renderBriefStatus(pod: PodRecord) {
  const full = renderPod(pod);
  const { podId, name, description, az, instanceType, podStatus, createTime } = full;
  return {
    podId,
    name,
    description,
    az,
    ag: full.ag ?? { id: '' },
    instanceType,
    podStatus,
    containers: full.containers.map((c) => ({
      name: c.name,
      image: c.image,
      containerStatus: c.containerStatus,
    })),
    createTime,
  };
}

/** A stable locally-administered MAC for an IP (fa:16:3e is the OpenStack-style prefix). */
function macAddressOf(ip: string): string {
  const hex = ip
    .split('.')
    .slice(1)
    .map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['fa', '16', '3e', ...hex].join(':');
}
