/**
 * The discovery documents kubectl reads before anything else (§7 of the reference): `/version`,
 * `/api` (APIVersions), `/apis` (APIGroupList, empty: pods live in the legacy core group) and
 * `/api/v1` (APIResourceList). Pure builders; discovery.ts serves them.
 */

/** The Kubernetes API level podgate's Pod API follows (fieldValidation, server-side apply). */
export const KUBE_MAJOR = '1';
export const KUBE_MINOR = '32';

/** `version.Info` as `kubectl version` prints it; the build metadata names podgate. */
export function versionInfo(podgateVersion: string) {
  return {
    major: KUBE_MAJOR,
    minor: KUBE_MINOR,
    gitVersion: `v${KUBE_MAJOR}.${KUBE_MINOR}.0+podgate.${podgateVersion}`,
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: '',
    platform: 'cloudflare-workers',
  };
}

/** `GET /api`: the one legacy version, reachable at the host the client used. */
export function apiVersions(host: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

/** The named groups podgate serves: the self-reviews of `kubectl auth can-i` and `whoami`. */
const GROUPS = [
  {
    group: 'authentication.k8s.io',
    resources: [{ name: 'selfsubjectreviews', kind: 'SelfSubjectReview' }],
  },
  {
    group: 'authorization.k8s.io',
    resources: [
      { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
      { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
    ],
  },
];

const apiGroup = (name: string) => {
  const version = { groupVersion: `${name}/v1`, version: 'v1' };
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name,
    versions: [version],
    preferredVersion: version,
  };
};

/** `GET /apis`: the named groups (pods live in the legacy core group, `/api`). */
export const apiGroupList = () => ({
  kind: 'APIGroupList',
  apiVersion: 'v1',
  groups: GROUPS.map(({ group }) => {
    const { kind: _kind, apiVersion: _v, ...rest } = apiGroup(group);
    return rest;
  }),
});

/** `GET /apis/{group}`, or undefined for a group podgate does not serve. */
export const namedApiGroup = (group: string) =>
  GROUPS.some((g) => g.group === group) ? apiGroup(group) : undefined;

/** `GET /apis/{group}/v1`: create-only, cluster-scoped review resources. */
export function groupResourceList(group: string) {
  const found = GROUPS.find((g) => g.group === group);
  if (!found) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/v1`,
    resources: found.resources.map(({ name, kind }) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced: false,
      kind,
      verbs: ['create'],
    })),
  };
}

const podResource = (name: string, verbs: string[]) => ({
  name,
  singularName: '',
  namespaced: true,
  kind: 'Pod',
  verbs,
});

/**
 * `GET /api/v1`: pods and the subresources podgate serves. `pods/status` is read-only here
 * (status is JD Cloud's to report, never a client's to write); `pods/start` and `pods/stop` are
 * podgate's own POST subresources, listed as `create` like `pods/eviction`.
 */
export function apiResourceList() {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      {
        ...podResource('pods', ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']),
        singularName: 'pod',
        shortNames: ['po'],
        categories: ['all'],
      },
      podResource('pods/log', ['get']),
      podResource('pods/status', ['get']),
      podResource('pods/start', ['create']),
      podResource('pods/stop', ['create']),
      // The read-only virtual nodes, one per JD availability zone (routes/nodes.ts).
      {
        name: 'nodes',
        singularName: 'node',
        namespaced: false,
        kind: 'Node',
        verbs: ['get', 'list'],
        shortNames: ['no'],
      },
    ],
  };
}
