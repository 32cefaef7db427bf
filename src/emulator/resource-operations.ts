/**
 * Handlers for the region-level resources: secrets, configFiles, quotas, instance types.
 */
import * as z from 'zod';
import { instanceTypesOf } from './catalogue';
import { checkQuota, livePods, type OperationHandler, type QuotaResource } from './context';
import { invalidArgument, JdError, notFound } from './envelope';
import {
  INSTANCE_TYPE_FILTERS,
  matchesFilters,
  paginate,
  parseListQuery,
  SECRET_FILTERS,
} from './filters';
import { createConfigFileBody, createSecretBody, updateConfigFileBody } from './other-schemas';
import { isoTime } from './pod-view';
import { parseParams } from './validation';

interface Secret {
  name: string;
  type: string;
  createdAt: string;
  data: { server: string; username: string; password: string; email?: string };
}

interface ConfigFile {
  name: string;
  data: { key: string; value: string }[];
}

const nameParam = (params: Readonly<Record<string, string>>) => params.name ?? '';

const createSecret: OperationHandler = (ctx) => {
  const body = parseParams(createSecretBody, ctx.body);
  if (ctx.store.getDoc('secrets', ctx.regionId, body.name)) {
    throw new JdError('ALREADY_EXISTS', `secret ${body.name} already exists`);
  }
  checkQuota(ctx, 'secret', ctx.store.listDocs('secrets', ctx.regionId).length, 1);
  const secret: Secret = {
    name: body.name,
    type: body.secretType,
    createdAt: isoTime(ctx.now),
    data: body.data,
  };
  ctx.store.putDoc('secrets', ctx.regionId, body.name, secret);
  return { secretName: body.name };
};

const describeSecrets: OperationHandler = (ctx) => {
  const query = parseListQuery(ctx.query, SECRET_FILTERS);
  const matching = ctx.store
    .listDocs<Secret>('secrets', ctx.regionId)
    .filter((s) => matchesFilters({ name: s.name }, query.filters, SECRET_FILTERS));
  return {
    secrets: paginate(matching, query.pageNumber, query.pageSize),
    totalCount: matching.length,
  };
};

function secretOf(ctx: Parameters<OperationHandler>[0]): Secret {
  const secret = ctx.store.getDoc<Secret>('secrets', ctx.regionId, nameParam(ctx.params));
  if (!secret) throw notFound(`secret ${nameParam(ctx.params)}`);
  return secret;
}

const describeSecret: OperationHandler = (ctx) => ({ secret: secretOf(ctx) });

const deleteSecret: OperationHandler = (ctx) => {
  ctx.store.deleteDoc('secrets', ctx.regionId, secretOf(ctx).name);
  return {};
};

const createConfigFile: OperationHandler = (ctx) => {
  const { name, data = [] } = parseParams(createConfigFileBody, ctx.body);
  if (ctx.store.getDoc('config_files', ctx.regionId, name)) {
    throw new JdError('ALREADY_EXISTS', `configFile ${name} already exists`);
  }
  ctx.store.putDoc('config_files', ctx.regionId, name, { name, data } satisfies ConfigFile);
  return { name };
};

function configFileOf(ctx: Parameters<OperationHandler>[0]): ConfigFile {
  const file = ctx.store.getDoc<ConfigFile>('config_files', ctx.regionId, nameParam(ctx.params));
  if (!file) throw notFound(`configFile ${nameParam(ctx.params)}`);
  return file;
}

const describeConfigFile: OperationHandler = (ctx) => ({ configFile: configFileOf(ctx) });

const updateConfigFile: OperationHandler = (ctx) => {
  const { data } = parseParams(updateConfigFileBody, ctx.body);
  const file = configFileOf(ctx);
  ctx.store.putDoc('config_files', ctx.regionId, file.name, { ...file, data });
  return { name: file.name };
};

const deleteConfigFile: OperationHandler = (ctx) => {
  ctx.store.deleteDoc('config_files', ctx.regionId, configFileOf(ctx).name);
  return {};
};

const quotaQuery = z.object({
  resourceType: z.enum(['container', 'pod', 'secret'], {
    error: 'must be one of container, pod, secret',
  }),
});

const describeQuota: OperationHandler = (ctx) => {
  const parsed = quotaQuery.safeParse({ resourceType: ctx.query.get('resourceType') ?? undefined });
  if (!parsed.success) {
    throw invalidArgument(
      'resourceType',
      ctx.query.has('resourceType') ? 'must be one of container, pod, secret' : 'is required',
    );
  }
  const resourceType: QuotaResource = parsed.data.resourceType;
  const pods = resourceType === 'secret' ? [] : livePods(ctx);
  const used =
    resourceType === 'pod'
      ? pods.length
      : resourceType === 'container'
        ? pods.reduce((n, p) => n + p.containers.length, 0)
        : ctx.store.listDocs('secrets', ctx.regionId).length;
  return {
    quota: { resourceType, limit: ctx.settings.quotaLimit(ctx.regionId, resourceType), used },
  };
};

const describeInstanceTypes: OperationHandler = (ctx) => {
  const { filters } = parseListQuery(ctx.query, INSTANCE_TYPE_FILTERS);
  const instanceTypes = instanceTypesOf(ctx.regionId).filter((t) =>
    matchesFilters(
      { instanceTypes: t.instanceType, az: t.state.map((s) => s.az) },
      filters,
      INSTANCE_TYPE_FILTERS,
    ),
  );
  return { instanceTypes, specificInstanceTypes: [], totalCount: instanceTypes.length };
};

export const resourceOperations = {
  createSecret,
  describeSecrets,
  describeSecret,
  deleteSecret,
  createConfigFile,
  describeConfigFile,
  updateConfigFile,
  deleteConfigFile,
  describeQuota,
  describeInstanceTypes,
} satisfies Record<string, OperationHandler>;
