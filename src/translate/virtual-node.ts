/**
 * Virtual nodes, as virtual-kubelet providers show them: JD Cloud has no nodes a client could
 * address, so each availability zone podgate places pods in is one read-only Node, and a pod's
 * `spec.nodeName` names its zone's node once podgate has placed it.
 */

/** The virtual node of a JD availability zone. */
export const virtualNodeName = (az: string) => `jdcloud-${az}`;

export interface Zone {
  regionId: string;
  az: string;
}

/** The core/v1 Node for a zone: Ready, labelled with its region and zone, tainted as virtual. */
export function virtualNode(zone: Zone, created: string) {
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: {
      name: virtualNodeName(zone.az),
      creationTimestamp: created,
      labels: {
        'kubernetes.io/hostname': virtualNodeName(zone.az),
        'kubernetes.io/os': 'linux',
        'kubernetes.io/role': 'agent',
        'topology.kubernetes.io/region': zone.regionId,
        'topology.kubernetes.io/zone': zone.az,
        type: 'virtual-kubelet',
      },
    },
    spec: {
      taints: [{ key: 'virtual-kubelet.io/provider', value: 'jdcloud', effect: 'NoSchedule' }],
    },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'JDCloudZone',
          message: `pods run on JD Cloud in ${zone.az}`,
          lastHeartbeatTime: created,
          lastTransitionTime: created,
        },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'podgate',
        containerRuntimeVersion: 'jdcloud-pod',
        kernelVersion: '',
        osImage: 'JD Cloud native container',
        kubeProxyVersion: '',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

/** The distinct zones of `zones`, sorted by name. */
export function virtualNodes(zones: Iterable<Zone>, created: string) {
  const byAz = new Map<string, Zone>();
  for (const zone of zones) byAz.set(zone.az, zone);
  return [...byAz.values()]
    .sort((a, b) => a.az.localeCompare(b.az))
    .map((zone) => virtualNode(zone, created));
}
