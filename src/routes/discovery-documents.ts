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

/** `GET /apis`: no named groups (kubectl tolerates the empty list). */
export const apiGroupList = () => ({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });

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
    ],
  };
}
