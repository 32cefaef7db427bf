/**
 * What every operation handler receives, and the pod lookups most of them share.
 */
import { JdError, notFound } from './envelope';
import type { LiveStreams } from './exec-session';
import { type PodRecord, settle } from './lifecycle';
import type { EmulatorStore } from './storage';

/** Limits and durations in force for this call. */
export interface EmulatorSettings {
  transitionMs: number;
  /** JD's rate limit: calls per access key in any 60 s of the emulator clock; 0 = off. */
  callsPerMinute: number;
  /** Wall-clock ms every JD call waits before it is served (a remote JD Cloud). */
  latencyMs: number;
  /** Quota limit for a region and resource type (`pod`, `container`, `secret`). */
  quotaLimit: (regionId: string, resourceType: QuotaResource) => number;
}

export type QuotaResource = 'pod' | 'container' | 'secret';

export interface OperationContext {
  store: EmulatorStore;
  settings: EmulatorSettings;
  regionId: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body, `{}` when there is none. */
  body: unknown;
  /** Emulator clock (ms): wall clock plus the offset tests advance. */
  now: number;
  request: Request;
  /** The live exec/attach streams (resizeTTY reaches them). */
  streams: LiveStreams;
  /** The emulator clock as it moves on during a stream. */
  clock: () => number;
}

/** A handler returns the `result` object, or a whole Response (WebSocket upgrades). */
export type OperationHandler = (ctx: OperationContext) => unknown;

/** The region's pods as they are now; finished transitions are written back, gone pods removed. */
export function livePods(ctx: OperationContext): PodRecord[] {
  return ctx.store.listPods(ctx.regionId).flatMap((pod) => {
    const current = persistSettled(ctx, pod);
    return current ? [current] : [];
  });
}

/** The pod named by the `podId` path parameter, as it is now, or 404 NOT_FOUND. */
export function podOf(ctx: OperationContext): PodRecord {
  const podId = ctx.params.podId ?? '';
  const stored = ctx.store.getPod(podId);
  const pod = stored && stored.regionId === ctx.regionId ? persistSettled(ctx, stored) : null;
  if (!pod) throw notFound(`pod ${podId}`);
  return pod;
}

function persistSettled(ctx: OperationContext, pod: PodRecord): PodRecord | null {
  const current = settle(pod, ctx.now);
  if (current === null) ctx.store.deletePod(pod.podId);
  else if (current !== pod) ctx.store.putPod(current);
  return current;
}

/** A pod's container by the `containerName` path parameter, or 404 NOT_FOUND. */
export function containerOf(ctx: OperationContext, pod: PodRecord) {
  const name = ctx.params.containerName ?? '';
  const container = pod.containers.find((c) => c.spec.name === name);
  if (!container) throw notFound(`container ${name} of pod ${pod.podId}`);
  return container;
}

/** 429 QUOTA_EXCEEDED unless `used + wanted` fits within the limit. */
export function checkQuota(
  ctx: OperationContext,
  resourceType: QuotaResource,
  used: number,
  wanted: number,
): void {
  const limit = ctx.settings.quotaLimit(ctx.regionId, resourceType);
  if (used + wanted > limit) {
    throw new JdError(
      'QUOTA_EXCEEDED',
      `Quota exceeded: ${resourceType} quota of ${ctx.regionId} is ${limit}, ${used} used, ${wanted} requested`,
    );
  }
}
