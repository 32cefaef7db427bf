/**
 * The JD Cloud calls the namespace store makes, phrased in its own terms (a pod that is gone is
 * `undefined`, a namespace's pods come from one name-prefix listing). Every failure stays typed,
 * tagged with the pod it was about (`PodJdFailure`); it becomes a Status only when a result
 * leaves the store.
 */
import type { Config } from '../config';
import type { JdCallBudget, JdCallPriority } from '../jdcloud/budget';
import { type JdClient, jdClientFromConfig } from '../jdcloud/client';
import { isJdCloudFailure, JdInvalidResponseError } from '../jdcloud/errors';
import type { JdPod } from '../jdcloud/models';
import type { JdPodSpec, JdRebuildContainerSpec } from '../jdcloud/specs';
import { serviceUnavailable } from '../k8s/status';
import { inNamespace, jdPodName, namespaceNameFilter } from '../translate/jd-name';
import { PodJdFailure } from './jd-failure';
import { recordJdRequestId } from './jd-trace';

export type NamedJdPod = JdPod & { name: string };

/** JD Cloud's getContainerLogs never returns more than 4 KB. */
const JD_LOG_LIMIT = 4096;

const isNotFound = (error: unknown) =>
  isJdCloudFailure(error) && error.kind === 'api' && error.status === 'NOT_FOUND';

/** The JD name of (namespace, name), or undefined when no JD pod can have it. */
export function jdPodNameOf(namespace: string, name: string): string | undefined {
  try {
    return jdPodName({ namespace, name });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** Runs a JD call for pod `name`, tagging its failure with the pod. */
async function forPod<T>(name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isJdCloudFailure(error) ? new PodJdFailure(error, name) : error;
  }
}

export function gatewayJd(jd: JdClient) {
  return {
    raw: jd,

    /** These calls at another budget priority, e.g. `withPriority('sync')` for a refresh. */
    withPriority: (priority: JdCallPriority) => gatewayJd(jd.withPriority(priority)),

    /** describePod, with `undefined` for a pod JD Cloud no longer has. */
    async describePodOrGone(regionId: string, podId: string, name: string) {
      try {
        return await jd.describePod(regionId, podId);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw isJdCloudFailure(error) ? new PodJdFailure(error, name) : error;
      }
    },

    /** The JD pod for (namespace, name) found by its JD name alone: used after state loss. */
    async findPodByName(
      regionId: string,
      namespace: string,
      name: string,
    ): Promise<JdPod | undefined> {
      const jdName = jdPodNameOf(namespace, name);
      // A name no JD pod can carry (too long, not a DNS subdomain) is no pod: nothing to ask.
      if (!jdName) return undefined;
      const page = await forPod(name, () =>
        jd.describePods(regionId, { filters: [{ name: 'name', values: [jdName] }], pageSize: 100 }),
      );
      return page.pods.find((p) => p.name === jdName);
    },

    /** Every JD pod of a namespace: ceil(N/100) describePods calls. */
    async listNamespacePods(regionId: string, namespace: string): Promise<NamedJdPod[]> {
      const all = await forPod(namespace, () =>
        jd.listAllPods(regionId, { filters: [namespaceNameFilter(namespace)] }),
      );
      return all.filter(
        (p): p is NamedJdPod => p.name !== undefined && inNamespace(p.name, namespace),
      );
    },

    createPod(regionId: string, name: string, podSpec: JdPodSpec, clientToken: string) {
      return forPod(name, async () => {
        const { podIds } = await jd.createPods(regionId, { podSpec, maxCount: 1, clientToken });
        const podId = podIds[0];
        if (!podId) {
          throw new JdInvalidResponseError('createPods', 200, 'no pod id in podIds', undefined);
        }
        return podId;
      });
    },

    async instanceTypes(regionId: string) {
      const { instanceTypes } = await forPod('instance types', () =>
        jd.describeInstanceTypes(regionId),
      );
      return instanceTypes;
    },

    deletePod: (regionId: string, podId: string, name: string) =>
      forPod(name, () => jd.deletePod(regionId, podId)),

    power: (regionId: string, podId: string, action: 'stop' | 'start', name: string) =>
      forPod(name, () =>
        action === 'stop' ? jd.stopPod(regionId, podId) : jd.startPod(regionId, podId),
      ),

    rebuild: (
      regionId: string,
      podId: string,
      containers: JdRebuildContainerSpec[],
      name: string,
    ) => forPod(name, () => jd.rebuildPod(regionId, podId, { containers })),

    logs(
      regionId: string,
      podId: string,
      input: { container: string; tailLines?: number; sinceSeconds?: number; limitBytes?: number },
      name: string,
    ) {
      return forPod(name, () =>
        jd.getContainerLogs(regionId, podId, input.container, {
          ...(input.tailLines !== undefined ? { tailLines: input.tailLines } : {}),
          ...(input.sinceSeconds !== undefined ? { sinceSeconds: input.sinceSeconds } : {}),
          limitBytes: Math.min(input.limitBytes ?? JD_LOG_LIMIT, JD_LOG_LIMIT),
        }),
      );
    },
  };
}

export type GatewayJdClient = ReturnType<typeof gatewayJd>;

/**
 * The store's JD client, or a 503 Status while credentials are not configured. With `budget`
 * (the gateway-wide JD call budget) every call first takes one from it; `tag` marks every call
 * (JdCallInfo.tag): `follow` for a `logs -f` loop, `exec` for exec/attach sessions.
 */
export function jdClientFor(
  config: Config,
  options: { budget?: JdCallBudget | undefined; tag?: string } = {},
): GatewayJdClient {
  const jd = jdClientFromConfig(config.jdcloud, {
    onCall: (_op, info) => recordJdRequestId(info.requestId),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.tag === undefined ? {} : { tag: options.tag }),
  });
  if (!jd) {
    throw serviceUnavailable(
      'JD Cloud credentials are not configured: set the secrets JDCLOUD_ACCESS_KEY_ID and JDCLOUD_SECRET_ACCESS_KEY',
    );
  }
  return gatewayJd(jd);
}
