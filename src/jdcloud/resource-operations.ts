/**
 * Typed container, secret, quota and instance-type operations
 * (reference/jdcloud-pod-api.md §2.2–2.3).
 */
import * as z from 'zod';
import {
  type JdContainer,
  type JdQuota,
  type JdSecret,
  jdContainer,
  jdInstanceType,
  jdQuota,
  jdSecret,
} from './models';
import { jdPath } from './path';
import { noResult, type RunOperation } from './pod-operations';
import { filterParams } from './query';
import type { JdFilter } from './specs';

/** getContainerLogs query; JD Cloud returns at most 4 KB. */
export interface ContainerLogsParams {
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
  startTime?: string;
  endTime?: string;
}

/** createSecret body: a docker-registry secret, values Base64-encoded without newlines. */
export interface CreateSecretParams {
  name: string;
  secretType: 'docker-registry';
  data: { server: string; username: string; password: string; email?: string };
}

// Result schemas are built once (a zod schema pays its set-up on its first parse).
const oneContainer = z.looseObject({ container: jdContainer });
const containerLogs = z.looseObject({
  logs: z.looseObject({ content: z.string().default('') }).default({ content: '' }),
});
const oneQuota = z.looseObject({ quota: jdQuota });
const instanceTypes = z.looseObject({
  instanceTypes: z.array(jdInstanceType).default([]),
  specificInstanceTypes: z.array(jdInstanceType).default([]),
  totalCount: z.number().int().optional(),
});
const createdSecret = z.looseObject({ secretName: z.string().optional() });
const oneSecret = z.looseObject({ secret: jdSecret });
const secretList = z.looseObject({
  secrets: z.array(jdSecret).default([]),
  totalCount: z.number().int(),
});

/** The container, secret, quota and instance-type operations of a client. */
export function resourceOperations(run: RunOperation) {
  const container = (regionId: string, podId: string, containerName: string) =>
    jdPath`/v1/regions/${regionId}/pods/${podId}/containers/${containerName}`;
  const secrets = (regionId: string) => jdPath`/v1/regions/${regionId}/secrets`;
  const secret = (regionId: string, name: string) =>
    jdPath`/v1/regions/${regionId}/secrets/${name}`;

  return {
    describeContainer: async (
      regionId: string,
      podId: string,
      containerName: string,
    ): Promise<JdContainer> =>
      (
        await run({
          op: 'describeContainer',
          method: 'GET',
          regionId,
          path: container(regionId, podId, containerName),
          result: oneContainer,
          idempotent: true,
        })
      ).container,

    /** The log text (`result.logs.content`; empty when JD Cloud has none). */
    getContainerLogs: async (
      regionId: string,
      podId: string,
      containerName: string,
      params: ContainerLogsParams = {},
    ): Promise<string> =>
      (
        await run({
          op: 'getContainerLogs',
          method: 'GET',
          regionId,
          path: `${container(regionId, podId, containerName)}%3AgetContainerLogs`,
          query: [
            ['tailLines', params.tailLines],
            ['sinceSeconds', params.sinceSeconds],
            ['limitBytes', params.limitBytes],
            ['startTime', params.startTime],
            ['endTime', params.endTime],
          ],
          result: containerLogs,
          idempotent: true,
        })
      ).logs.content,

    describeQuota: async (
      regionId: string,
      resourceType: 'container' | 'pod' | 'secret',
    ): Promise<JdQuota> =>
      (
        await run({
          op: 'describeQuota',
          method: 'GET',
          regionId,
          path: jdPath`/v1/regions/${regionId}/quotas`,
          query: [['resourceType', resourceType]],
          result: oneQuota,
          idempotent: true,
        })
      ).quota,

    /** Filter names: `instanceTypes`, `az` (exact, several values). */
    describeInstanceTypes: async (
      regionId: string,
      params: { filters?: readonly JdFilter[] } = {},
    ) =>
      run({
        op: 'describeInstanceTypes',
        method: 'GET',
        regionId,
        path: jdPath`/v1/regions/${regionId}/instanceTypes`,
        query: filterParams(params.filters),
        result: instanceTypes,
        idempotent: true,
      }),

    /** Not retried: a repeat after a lost answer would fail with ALREADY_EXISTS. */
    createSecret: async (regionId: string, params: CreateSecretParams) =>
      run({
        op: 'createSecret',
        method: 'POST',
        regionId,
        path: secrets(regionId),
        body: params,
        result: createdSecret,
        idempotent: false,
      }),

    describeSecret: async (regionId: string, name: string): Promise<JdSecret> =>
      (
        await run({
          op: 'describeSecret',
          method: 'GET',
          regionId,
          path: secret(regionId, name),
          result: oneSecret,
          idempotent: true,
        })
      ).secret,

    /** Filter name: `name` (fuzzy). */
    describeSecrets: async (
      regionId: string,
      params: { filters?: readonly JdFilter[]; pageNumber?: number; pageSize?: number } = {},
    ) =>
      run({
        op: 'describeSecrets',
        method: 'GET',
        regionId,
        path: secrets(regionId),
        query: [
          ['pageNumber', params.pageNumber],
          ['pageSize', params.pageSize],
          ...filterParams(params.filters),
        ],
        result: secretList,
        idempotent: true,
      }),

    deleteSecret: async (regionId: string, name: string) =>
      run({
        op: 'deleteSecret',
        method: 'DELETE',
        regionId,
        path: secret(regionId, name),
        result: noResult,
        idempotent: false,
      }),
  };
}
