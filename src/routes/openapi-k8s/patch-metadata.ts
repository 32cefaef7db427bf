/**
 * The apiserver's list and patch metadata for the Pod fields podgate models, from the
 * `+patchMergeKey`, `+patchStrategy`, `+listType` and `+listMapKey` markers of k8s.io/api
 * core/v1 types.go. kubectl's client-side apply merges lists by these keys; without them it
 * replaces whole lists and a second identical apply reports `configured`.
 */
export interface ListMetadata {
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type': 'atomic' | 'map' | 'set';
  'x-kubernetes-list-map-keys'?: string[];
}

const byKey = (key: string, strategy = 'merge', mapKeys = [key]): ListMetadata => ({
  'x-kubernetes-patch-merge-key': key,
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': mapKeys,
});
const atomic: ListMetadata = { 'x-kubernetes-list-type': 'atomic' };

/** Kubernetes type → list field → its metadata. */
export const LIST_METADATA: Record<string, Record<string, ListMetadata>> = {
  V1ObjectMeta: {
    finalizers: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' },
    ownerReferences: byKey('uid'),
    managedFields: atomic,
  },
  V1PodSpec: {
    volumes: byKey('name', 'merge,retainKeys'),
    initContainers: byKey('name'),
    containers: byKey('name'),
    ephemeralContainers: byKey('name'),
    imagePullSecrets: byKey('name'),
    hostAliases: byKey('ip'),
    tolerations: atomic,
    readinessGates: atomic,
    topologySpreadConstraints: byKey('topologyKey', 'merge', ['topologyKey', 'whenUnsatisfiable']),
    resourceClaims: byKey('name', 'merge,retainKeys'),
    schedulingGates: byKey('name'),
  },
  V1Container: {
    command: atomic,
    args: atomic,
    ports: byKey('containerPort', 'merge', ['containerPort', 'protocol']),
    envFrom: atomic,
    env: byKey('name'),
    volumeMounts: byKey('mountPath'),
    volumeDevices: byKey('devicePath'),
    resizePolicy: atomic,
  },
  V1PodStatus: {
    conditions: byKey('type'),
    podIPs: byKey('ip'),
    hostIPs: { ...byKey('ip'), 'x-kubernetes-list-type': 'atomic' },
    initContainerStatuses: atomic,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
  },
};
