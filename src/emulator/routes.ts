/**
 * The pod service's route table (reference §2): method + path → JD operation id and path
 * parameters. Custom actions match in both spellings, `…/pods/{podId}:rebuild` and the
 * `…/pods/{podId}%3Arebuild` that every SDK actually sends.
 */

export type Operation =
  | 'createPods'
  | 'describePods'
  | 'checkPodName'
  | 'describePodsStatus'
  | 'describePod'
  | 'deletePod'
  | 'startPod'
  | 'stopPod'
  | 'rebuildPod'
  | 'resizePod'
  | 'modifyPodAttribute'
  | 'associateElasticIp'
  | 'disassociateElasticIp'
  | 'describeContainer'
  | 'getContainerLogs'
  | 'execCreate'
  | 'execStart'
  | 'execGetExitCode'
  | 'resizeTTY'
  | 'attach'
  | 'createSecret'
  | 'describeSecrets'
  | 'describeSecret'
  | 'deleteSecret'
  | 'createConfigFile'
  | 'describeConfigFile'
  | 'updateConfigFile'
  | 'deleteConfigFile'
  | 'describeQuota'
  | 'describeInstanceTypes';

const POD = '/v1/regions/{regionId}/pods/{podId}';
const CONTAINER = `${POD}/containers/{containerName}`;

const TABLE: readonly [method: string, path: string, operation: Operation][] = [
  ['POST', '/v1/regions/{regionId}/pods', 'createPods'],
  ['GET', '/v1/regions/{regionId}/pods', 'describePods'],
  ['POST', '/v1/regions/{regionId}/pods:checkPodName', 'checkPodName'],
  ['GET', '/v1/regions/{regionId}/podsStatus', 'describePodsStatus'],
  ['GET', POD, 'describePod'],
  ['DELETE', POD, 'deletePod'],
  ['POST', `${POD}:startPod`, 'startPod'],
  ['POST', `${POD}:stopPod`, 'stopPod'],
  ['POST', `${POD}:rebuild`, 'rebuildPod'],
  ['POST', `${POD}:resize`, 'resizePod'],
  ['PATCH', `${POD}:modifyPodAttribute`, 'modifyPodAttribute'],
  ['POST', `${POD}:associateElasticIp`, 'associateElasticIp'],
  ['POST', `${POD}:disassociateElasticIp`, 'disassociateElasticIp'],
  ['GET', CONTAINER, 'describeContainer'],
  ['GET', `${CONTAINER}:getContainerLogs`, 'getContainerLogs'],
  ['POST', `${CONTAINER}:execCreate`, 'execCreate'],
  ['GET', `${CONTAINER}:execStart`, 'execStart'],
  ['GET', `${CONTAINER}:execGetExitCode`, 'execGetExitCode'],
  ['POST', `${CONTAINER}:resizeTTY`, 'resizeTTY'],
  ['GET', `${CONTAINER}:attach`, 'attach'],
  ['POST', '/v1/regions/{regionId}/secrets', 'createSecret'],
  ['GET', '/v1/regions/{regionId}/secrets', 'describeSecrets'],
  ['GET', '/v1/regions/{regionId}/secrets/{name}', 'describeSecret'],
  ['DELETE', '/v1/regions/{regionId}/secrets/{name}', 'deleteSecret'],
  ['POST', '/v1/regions/{regionId}/configFiles', 'createConfigFile'],
  ['GET', '/v1/regions/{regionId}/configFiles/{name}', 'describeConfigFile'],
  ['POST', '/v1/regions/{regionId}/configFiles/{name}:update', 'updateConfigFile'],
  ['DELETE', '/v1/regions/{regionId}/configFiles/{name}', 'deleteConfigFile'],
  ['GET', '/v1/regions/{regionId}/quotas', 'describeQuota'],
  ['GET', '/v1/regions/{regionId}/instanceTypes', 'describeInstanceTypes'],
];

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  operation: Operation;
}

const ROUTES: readonly CompiledRoute[] = TABLE.map(([method, path, operation]) => {
  const names: string[] = [];
  const source = path
    .split(/(\{[a-zA-Z]+\})/)
    .map((part) => {
      const param = /^\{([a-zA-Z]+)\}$/.exec(part);
      if (!param?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/:]+)';
    })
    .join('');
  return { method, pattern: new RegExp(`^${source}$`), names, operation };
});

/** A matched route: the operation and its decoded path parameters. */
export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

/**
 * Matches a request line. The path may spell the action colon raw or as `%3A`/`%3a`; path
 * parameters are percent-decoded.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const path = pathname.replace(/%3A/gi, ':');
  for (const route of ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1] ?? '');
    });
    return { operation: route.operation, params };
  }
  return undefined;
}

/** Every operation id, for validating fault-injection requests. */
export const OPERATIONS: ReadonlySet<string> = new Set(TABLE.map(([, , operation]) => operation));

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
