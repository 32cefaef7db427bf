/**
 * Typed pod operations (reference/jdcloud-pod-api.md §2.1). Each takes the region first, then
 * the operation's parameters with JD Cloud's names, and resolves to the validated `result`.
 */

import * as z from 'zod';
import type { JdOperation } from './call';
import { JdInvalidResponseError } from './errors';
import { type JdPod, jdPod } from './models';
import { jdPath } from './path';
import { filterParams, tagParams } from './query';
import type { JdFilter, JdPodSpec, JdRebuildContainerSpec, JdTagFilter } from './specs';

/** Runs one described operation (bound to a client's settings). */
export type RunOperation = <T>(op: JdOperation<T>) => Promise<T>;

/** Action calls answer `result: {}` or nothing; either way there is nothing to return. */
export const noResult = z.unknown().transform((): undefined => undefined);

/** Parameters of describePods. */
export interface DescribePodsParams {
  filters?: readonly JdFilter[];
  tags?: readonly JdTagFilter[];
  /** 1-based; JD Cloud's default is 1. */
  pageNumber?: number;
  /** [10, 100]; JD Cloud's default is 20. */
  pageSize?: number;
}

/** A `containerResources[]` entry of resizePod. */
export interface JdContainerResourceSpec {
  name: string;
  resources: {
    requests?: { cpu?: string; memoryMB?: string };
    limits?: { cpu?: string; memoryMB?: string };
  };
}

// Result schemas are built once: a zod schema pays its set-up on its first parse, so one made
// per call would pay it on every call.
const podList = z.looseObject({ pods: z.array(jdPod).default([]), totalCount: z.number().int() });
const onePod = z.looseObject({ pod: jdPod });
const createdPods = z.looseObject({ podIds: z.array(z.string()).default([]) });
const podNameCheck = z.looseObject({ code: z.number().int(), reason: z.string().optional() });
export const ALL_PAGES_SIZE = 100;
/**
 * Pages a listing reads before it gives up loudly: JD's own limit on pods per account is far
 * below 100 000. Reaching it is an error (never a silently shortened list).
 */
const MAX_PAGES = 1000;

/** The pod operations of a client. */
export function podOperations(run: RunOperation) {
  const pods = (regionId: string) => jdPath`/v1/regions/${regionId}/pods`;
  const pod = (regionId: string, podId: string) => jdPath`/v1/regions/${regionId}/pods/${podId}`;
  /** `POST …/pods/{podId}:{verb}`: a write JD Cloud does not deduplicate, so never retried. */
  const action = async (
    op: string,
    regionId: string,
    podId: string,
    verb: string,
    body: unknown,
    method: 'POST' | 'PATCH' = 'POST',
  ) =>
    run({
      op,
      method,
      regionId,
      path: `${pod(regionId, podId)}%3A${verb}`,
      body,
      result: noResult,
      idempotent: false,
    });

  const describePods = async (regionId: string, params: DescribePodsParams = {}) =>
    run({
      op: 'describePods',
      method: 'GET',
      regionId,
      path: pods(regionId),
      query: [
        ['pageNumber', params.pageNumber],
        ['pageSize', params.pageSize],
        ...filterParams(params.filters),
        ...tagParams(params.tags),
      ],
      result: podList,
      idempotent: true,
    });

  /** Every pod matching the filters, page by page (pageSize 100); each pod once. */
  async function* describeAllPods(
    regionId: string,
    params: Omit<DescribePodsParams, 'pageNumber' | 'pageSize'> = {},
  ): AsyncGenerator<JdPod> {
    const seen = new Set<string>();
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
      const page = await describePods(regionId, {
        ...params,
        pageNumber,
        pageSize: ALL_PAGES_SIZE,
      });
      for (const p of page.pods) {
        // Pods created or deleted between pages shift the pages; never yield one twice.
        if (seen.has(p.podId)) continue;
        seen.add(p.podId);
        yield p;
      }
      if (page.pods.length < ALL_PAGES_SIZE || pageNumber * ALL_PAGES_SIZE >= page.totalCount)
        return;
    }
    throw new JdInvalidResponseError(
      'describePods',
      200,
      `the listing did not end within ${MAX_PAGES} pages of ${ALL_PAGES_SIZE}`,
      undefined,
    );
  }

  return {
    /**
     * Creates up to `maxCount` pods. `clientToken` is required here: it makes the call
     * idempotent at JD Cloud, which is what allows retrying it after a timeout.
     */
    createPods: async (
      regionId: string,
      params: { podSpec: JdPodSpec; maxCount: number; clientToken: string },
    ) =>
      run({
        op: 'createPods',
        method: 'POST',
        regionId,
        path: pods(regionId),
        body: {
          podSpec: params.podSpec,
          maxCount: params.maxCount,
          clientToken: params.clientToken,
        },
        result: createdPods,
        idempotent: true,
      }),

    describePod: async (regionId: string, podId: string): Promise<JdPod> =>
      (
        await run({
          op: 'describePod',
          method: 'GET',
          regionId,
          path: pod(regionId, podId),
          result: onePod,
          idempotent: true,
        })
      ).pod,

    describePods,
    describeAllPods,

    /** All pods matching the filters, collected from {@link describeAllPods}. */
    listAllPods: async (
      regionId: string,
      params: Omit<DescribePodsParams, 'pageNumber' | 'pageSize'> = {},
    ): Promise<JdPod[]> => {
      const all: JdPod[] = [];
      for await (const p of describeAllPods(regionId, params)) all.push(p);
      return all;
    },

    deletePod: async (regionId: string, podId: string) =>
      run({
        op: 'deletePod',
        method: 'DELETE',
        regionId,
        path: pod(regionId, podId),
        result: noResult,
        idempotent: false,
      }),

    startPod: (regionId: string, podId: string) =>
      action('startPod', regionId, podId, 'startPod', {}),
    stopPod: (regionId: string, podId: string) => action('stopPod', regionId, podId, 'stopPod', {}),
    rebuildPod: (
      regionId: string,
      podId: string,
      params: { containers: JdRebuildContainerSpec[] },
    ) => action('rebuildPod', regionId, podId, 'rebuild', { containers: params.containers }),
    resizePod: (
      regionId: string,
      podId: string,
      params: { instanceType: string; containerResources?: JdContainerResourceSpec[] },
    ) => action('resizePod', regionId, podId, 'resize', params),
    modifyPodAttribute: (regionId: string, podId: string, params: { description?: string }) =>
      action(
        'modifyPodAttribute',
        regionId,
        podId,
        'modifyPodAttribute',
        { description: params.description },
        'PATCH',
      ),
    associateElasticIp: (regionId: string, podId: string, elasticIpId: string) =>
      action('associateElasticIp', regionId, podId, 'associateElasticIp', { elasticIpId }),
    disassociateElasticIp: (regionId: string, podId: string, elasticIpId: string) =>
      action('disassociateElasticIp', regionId, podId, 'disassociateElasticIp', { elasticIpId }),

    /** `code` 0 = usable, 1 = empty, 2 = invalid, 3 = duplicate. A read, so retried freely. */
    checkPodName: async (regionId: string, params: { podName: string; maxCount?: number }) =>
      run({
        op: 'checkPodName',
        method: 'POST',
        regionId,
        path: `${pods(regionId)}%3AcheckPodName`,
        body: params,
        result: podNameCheck,
        idempotent: true,
      }),
  };
}
