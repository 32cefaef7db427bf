/**
 * The discovery documents kubectl reads before anything else (§7 of the reference): `/version`,
 * `/api` (APIVersions), `/apis` (APIGroupList: reviews and events.k8s.io; pods live in the legacy core group) and
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

interface GroupResource {
  name: string;
  kind: string;
  namespaced?: boolean;
  verbs?: string[];
  shortNames?: string[];
}

/** The read verbs of Events, which podgate alone writes. */
const READ_ONLY = ['get', 'list', 'watch'];

/**
 * The named groups podgate serves: the self-reviews of `kubectl auth can-i` and `whoami`
 * (create-only, cluster-scoped) and events.k8s.io's read-only Events.
 */
const GROUPS: { group: string; resources: GroupResource[] }[] = [
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
  {
    group: 'events.k8s.io',
    resources: [
      { name: 'events', kind: 'Event', namespaced: true, verbs: READ_ONLY, shortNames: ['ev'] },
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

/** `GET /apis/{group}/v1`: the group's resources (reviews: create-only, cluster-scoped). */
export function groupResourceList(group: string) {
  const found = GROUPS.find((g) => g.group === group);
  if (!found) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${group}/v1`,
    resources: found.resources.map(({ name, kind, namespaced, verbs, shortNames }) => ({
      name,
      singularName: kind.toLowerCase(),
      namespaced: namespaced ?? false,
      kind,
      verbs: verbs ?? ['create'],
      ...(shortNames ? { shortNames } : {}),
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
      // Events about pods, written by podgate alone (routes/events.ts).
      {
        name: 'events',
        singularName: 'event',
        namespaced: true,
        kind: 'Event',
        verbs: READ_ONLY,
        shortNames: ['ev'],
      },
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
