/**
 * Handlers for the pod operations: validate → state machine → store → JD result shape.
 */
import { azsOf, isInstanceType } from './catalogue';
import {
  checkQuota,
  livePods,
  type OperationContext,
  type OperationHandler,
  podOf,
} from './context';
import { invalidArgument, JdError, randomToken } from './envelope';
import { matchesFilters, matchesTags, POD_FILTERS, paginate, parseListQuery } from './filters';
import {
  beginDelete,
  beginRebuild,
  beginStart,
  beginStop,
  createPodRecord,
  type PodRecord,
  resize,
} from './lifecycle';
import { allocateIp, elasticIpAddressOf, vpcIdOf } from './network';
import {
  checkPodNameBody,
  elasticIpBody,
  modifyPodAttributeBody,
  resizePodBody,
} from './other-schemas';
import { createPodsBody, rebuildPodBody } from './pod-spec-schema';
import { renderBriefStatus, renderPod } from './pod-view';
import { dnsSubdomain } from './schema-parts';
import { parseParams } from './validation';

const createPods: OperationHandler = (ctx) => {
  const body = parseParams(createPodsBody, ctx.body);
  const { podSpec, maxCount, clientToken } = body;
  if (clientToken) {
    const first = ctx.store.getClientToken(ctx.regionId, clientToken);
    if (first) return first;
  }
  if (!azsOf(ctx.regionId).includes(podSpec.az)) {
    throw invalidArgument(
      'podSpec.az',
      `${podSpec.az} is not an availability zone of ${ctx.regionId}`,
    );
  }
  if (!isInstanceType(podSpec.instanceType)) {
    throw invalidArgument('podSpec.instanceType', `unknown instance type ${podSpec.instanceType}`);
  }
  const pods = livePods(ctx);
  const names =
    maxCount === 1
      ? [podSpec.name]
      : Array.from({ length: maxCount }, (_, i) => `${podSpec.name}-${i + 1}`);
  const taken = names.find((name) => pods.some((p) => p.spec.name === name));
  if (taken)
    throw new JdError('ALREADY_EXISTS', `pod name ${taken} already exists in ${ctx.regionId}`);
  checkQuota(ctx, 'pod', pods.length, maxCount);
  const containersUsed = pods.reduce((n, p) => n + p.containers.length, 0);
  checkQuota(ctx, 'container', containersUsed, maxCount * podSpec.containers.length);

  const nic = podSpec.primaryNetworkInterface.networkInterface;
  const usedIps = new Set(pods.map((p) => p.privateIpAddress));
  if (nic.primaryIpAddress && usedIps.has(nic.primaryIpAddress)) {
    throw invalidArgument(
      'podSpec.primaryNetworkInterface.networkInterface.primaryIpAddress',
      `${nic.primaryIpAddress} is already in use`,
    );
  }
  const podIds = names.map((name) => {
    const podId = `pod-${randomToken(10)}`;
    const privateIpAddress = nic.primaryIpAddress ?? allocateIp(usedIps);
    usedIps.add(privateIpAddress);
    const record = createPodRecord(
      {
        podId,
        regionId: ctx.regionId,
        name,
        spec: podSpec,
        privateIpAddress,
        vpcId: vpcIdOf(nic.subnetId),
        networkInterfaceId: `port-${randomToken(10)}`,
      },
      ctx.now,
      ctx.settings.transitionMs,
    );
    if (podSpec.elasticIp) {
      const elasticIpId = `fip-${randomToken(10)}`;
      record.elasticIp = { elasticIpId, elasticIpAddress: elasticIpAddressOf(elasticIpId) };
    }
    ctx.store.putPod(record);
    return podId;
  });
  const result = { podIds };
  if (clientToken) ctx.store.putClientToken(ctx.regionId, clientToken, result);
  return result;
};

/** Pods of the region matching the query's filters and tags, oldest first. */
function selectPods(ctx: OperationContext) {
  const query = parseListQuery(ctx.query, POD_FILTERS);
  const matching = livePods(ctx).filter(
    (pod) =>
      matchesFilters(fieldsForFilters(pod), query.filters, POD_FILTERS) &&
      matchesTags(pod.spec.userTags ?? [], query.tags),
  );
  return {
    page: paginate(matching, query.pageNumber, query.pageSize),
    totalCount: matching.length,
  };
}

function fieldsForFilters(pod: PodRecord) {
  return {
    podId: pod.podId,
    privateIpAddress: pod.privateIpAddress,
    az: pod.spec.az,
    vpcId: pod.vpcId,
    phase: pod.phase,
    name: pod.spec.name,
    subnetId: pod.spec.primaryNetworkInterface.networkInterface.subnetId,
    agId: pod.spec.agId,
  };
}

const describePods: OperationHandler = (ctx) => {
  const { page, totalCount } = selectPods(ctx);
  return { pods: page.map(renderPod), totalCount };
};

const describePodsStatus: OperationHandler = (ctx) => {
  const { page, totalCount } = selectPods(ctx);
  return { podsStatus: page.map(renderBriefStatus), totalCount };
};

const describePod: OperationHandler = (ctx) => ({ pod: renderPod(podOf(ctx)) });

/** A handler that moves a pod through the state machine and answers `{}`. */
const transition =
  (step: (pod: PodRecord, ctx: OperationContext) => PodRecord): OperationHandler =>
  (ctx) => {
    ctx.store.putPod(step(podOf(ctx), ctx));
    return {};
  };

const deletePod = transition((pod, ctx) => beginDelete(pod, ctx.now, ctx.settings.transitionMs));
const startPod = transition((pod, ctx) => beginStart(pod, ctx.now, ctx.settings.transitionMs));
const stopPod = transition((pod, ctx) => beginStop(pod, ctx.now, ctx.settings.transitionMs));

const rebuildPod = transition((pod, ctx) => {
  const { containers } = parseParams(rebuildPodBody, ctx.body);
  return beginRebuild(pod, containers, ctx.now, ctx.settings.transitionMs);
});

const resizePod = transition((pod, ctx) => {
  const { instanceType } = parseParams(resizePodBody, ctx.body);
  if (!isInstanceType(instanceType)) {
    throw invalidArgument('instanceType', `unknown instance type ${instanceType}`);
  }
  return resize(pod, instanceType);
});

const modifyPodAttribute = transition((pod, ctx) => {
  const { description } = parseParams(modifyPodAttributeBody, ctx.body);
  return description === undefined ? pod : { ...pod, spec: { ...pod.spec, description } };
});

const associateElasticIp = transition((pod, ctx) => {
  const { elasticIpId } = parseParams(elasticIpBody, ctx.body);
  if (pod.elasticIp) {
    throw new JdError(
      'FAILED_PRECONDITION',
      `pod ${pod.podId} already has elastic IP ${pod.elasticIp.elasticIpId}`,
    );
  }
  return { ...pod, elasticIp: { elasticIpId, elasticIpAddress: elasticIpAddressOf(elasticIpId) } };
});

const disassociateElasticIp = transition((pod, ctx) => {
  const { elasticIpId } = parseParams(elasticIpBody, ctx.body);
  if (pod.elasticIp?.elasticIpId !== elasticIpId) {
    throw invalidArgument('elasticIpId', `${elasticIpId} is not associated with pod ${pod.podId}`);
  }
  const { elasticIp: _, ...rest } = pod;
  return rest;
});

/** checkPodName codes: 0 ok, 1 empty, 2 invalid, 3 duplicate. */
const checkPodName: OperationHandler = (ctx) => {
  const { podName, maxCount = 1 } = parseParams(checkPodNameBody, ctx.body);
  if (podName === '') return { code: 1, reason: 'pod name is empty' };
  if (!dnsSubdomain.safeParse(podName).success) {
    return { code: 2, reason: 'pod name must be a DNS-1123 subdomain' };
  }
  const names =
    maxCount === 1 ? [podName] : Array.from({ length: maxCount }, (_, i) => `${podName}-${i + 1}`);
  const taken = livePods(ctx).find((p) => names.includes(p.spec.name));
  if (taken) return { code: 3, reason: `pod name ${taken.spec.name} already exists` };
  return { code: 0, reason: '' };
};

export const podOperations = {
  createPods,
  describePods,
  describePodsStatus,
  describePod,
  deletePod,
  startPod,
  stopPod,
  rebuildPod,
  resizePod,
  modifyPodAttribute,
  associateElasticIp,
  disassociateElasticIp,
  checkPodName,
} satisfies Record<string, OperationHandler>;
