/**
 * A best-effort PodSpec from a JD pod alone, for when podgate's own record is lost: what
 * createPods was given, read back in Kubernetes terms. The inverse of `podToCreateSpec` for
 * everything that round-trips (containers, probes, resources, volumes, DNS, hosts).
 */

import type { JdContainer, JdPod } from '../jdcloud/models';
import type { Container, PodSpec, Volume } from '../k8s/pod';
import { podKeyFromJdName } from './jd-name';
import { jdHostnameOf } from './pod-network';
import { probeFromJd } from './probes';
import { JD_DISK_CSI_DRIVER } from './volumes';

/** The driver name a recovered CFS volume is shown under; podgate never creates one. */
const CFS_CSI_DRIVER = 'cfs.csi.jdcloud.com';

type JdAmounts = { cpu?: string; memoryMB?: string } | undefined;

const amountsFromJd = (a: JdAmounts) =>
  a && (a.cpu || a.memoryMB)
    ? { ...(a.cpu && { cpu: a.cpu }), ...(a.memoryMB && { memory: a.memoryMB }) }
    : undefined;

export function containerFromJd(c: JdContainer): Container {
  const requests = amountsFromJd(c.resources?.requests);
  const limits = amountsFromJd(c.resources?.limits);
  const livenessProbe = probeFromJd(c.livenessProbe);
  const readinessProbe = probeFromJd(c.readinessProbe);
  return {
    name: c.name,
    image: c.image ?? '',
    ...(c.command?.length && { command: c.command }),
    ...(c.args?.length && { args: c.args }),
    ...(c.workingDir && { workingDir: c.workingDir }),
    ...(c.env?.length && { env: c.env.map((e) => ({ name: e.name, value: e.value ?? '' })) }),
    resources: { ...(requests && { requests }), ...(limits && { limits }) },
    ...(c.volumeMounts?.length && {
      volumeMounts: c.volumeMounts.map((m) => ({
        name: m.name,
        mountPath: m.mountPath ?? '',
        ...(m.readOnly && { readOnly: true }),
        ...(m.subPath && { subPath: m.subPath }),
      })),
    }),
    ...(livenessProbe && { livenessProbe }),
    ...(readinessProbe && { readinessProbe }),
    ...(c.tty && { tty: true }),
  };
}

const strings = (o: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, String(v)]),
  );

function volumeFromJd(v: NonNullable<JdPod['volumes']>[number]): Volume {
  if (v.jdcloudDisk) {
    const { fsType, volumeId, snapshotId, diskType, sizeGB, iops, formatVolume, autoDelete } =
      v.jdcloudDisk;
    return {
      name: v.name,
      csi: {
        driver: JD_DISK_CSI_DRIVER,
        ...(fsType && { fsType }),
        volumeAttributes: strings({
          volumeId,
          snapshotId,
          diskType,
          sizeGB,
          iops,
          formatVolume,
          autoDelete,
        }),
      },
    };
  }
  if (v.configFile) {
    const items = v.configFile.fileToPath?.map((f) => ({
      key: f.key ?? '',
      path: f.path ?? '',
      ...(f.mode && { mode: Number.parseInt(f.mode, 8) }),
    }));
    return {
      name: v.name,
      configMap: { name: v.configFile.name ?? '', ...(items?.length && { items }) },
    };
  }
  if (v.cfs)
    return {
      name: v.name,
      csi: { driver: CFS_CSI_DRIVER, volumeAttributes: strings({ ...v.cfs }) },
    };
  const sizeMB = v.emptyDir?.sizeMB;
  return { name: v.name, emptyDir: sizeMB ? { sizeLimit: `${sizeMB}Mi` } : {} };
}

/** The PodSpec a JD pod was created from, as far as JD reports it. */
export function specFromJd(jd: JdPod): PodSpec {
  const all = jd.containers ?? [];
  const initContainers = all.filter((c) => c.type === 'init').map(containerFromJd);
  const containers = all.filter((c) => c.type !== 'init').map(containerFromJd);
  const secret = all.find((c) => c.secret)?.secret;
  const name = podKeyFromJdName(jd.name ?? '')?.name;
  // A hostname equal to the one podgate derives from the name was not set by the user.
  const hostname =
    jd.hostname &&
    jd.hostname !== jd.podId &&
    (!name || jd.hostname !== jdHostnameOf(undefined, name))
      ? jd.hostname
      : undefined;
  const dns = jd.dnsConfig;
  const dnsConfig = dns && {
    ...(dns.nameservers?.length && { nameservers: dns.nameservers }),
    ...(dns.searches?.length && { searches: dns.searches }),
    ...(dns.options?.length && {
      options: dns.options.map((o) => ({
        name: o.name,
        ...(o.value !== undefined && { value: o.value }),
      })),
    }),
  };
  return {
    ...(jd.volumes?.length && { volumes: jd.volumes.map(volumeFromJd) }),
    ...(initContainers.length && { initContainers }),
    containers,
    restartPolicy: jd.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: jd.terminationGracePeriodSeconds ?? 30,
    dnsPolicy: 'ClusterFirst',
    ...(secret && { imagePullSecrets: [{ name: secret }] }),
    ...(hostname && { hostname }),
    ...(dnsConfig && Object.keys(dnsConfig).length && { dnsConfig }),
    ...(jd.hostAliases?.length && {
      hostAliases: jd.hostAliases.map((a) => ({ ip: a.ip ?? '', hostnames: a.hostnames ?? [] })),
    }),
  };
}
