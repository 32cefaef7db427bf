/**
 * The namespace object's reads, all answered from storage: a GET or LIST with no
 * resourceVersion first makes storage no older than the freshness bound (one JD call shared by
 * every concurrent reader, see sync.ts) and, should JD Cloud not answer, serves storage with a
 * warning saying how old it is. Reads write nothing unless JD's state changed.
 */
import type { JdInstanceType } from '../jdcloud/models';
import type { CoreEvent } from '../k8s/event';
import { resolveLogContainer } from '../k8s/log-options';
import type { Pod } from '../k8s/pod';
import { notFound } from '../k8s/status';
import type { NamespaceCore } from './core';
import { type EventPage, eventPage } from './event-list';
import { jdPodNameOf } from './jd';
import type { ListOptions, Page } from './list';
import { recover, rowOrRecover } from './reconcile';
import type { Warned } from './result';
import { selectorMatcher } from './selectors';
import { listAt } from './snapshots';

export interface LogInput {
  /** The container asked for; defaulted to the only one, as the apiserver does. */
  container?: string | undefined;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** What {@link streamTarget} answers. */
export interface StreamTarget {
  regionId: string;
  /** null while the pod's createPods has not returned. */
  jdPodId: string | null;
  container: string;
  /** The last observed phase; `Stopped` when no container runs (see `streamPhase`). */
  phase: string;
}

/** A value with the warnings of the refresh behind it, when there are any. */
const warned = <T>(value: T, warnings: string[]): T | Warned<T> =>
  warnings.length ? { value, warnings } : value;

/**
 * A pod from storage. With no resourceVersion (or any but "0") the stored pod is first made no
 * older than the freshness bound (one describePod, shared by concurrent readers); should JD
 * Cloud not answer, the stored pod is served with a warning saying how old its status is.
 */
export async function get(
  core: NamespaceCore,
  name: string,
  options: { resourceVersion?: string | undefined },
): Promise<Pod | Warned<Pod>> {
  const { storage, reconciler } = core;
  const fromStorage = options.resourceVersion === '0';
  const known = storage.row(name) !== undefined;
  // A name no JD pod can carry (too long, not a DNS subdomain) is no pod: nothing to refresh.
  if (!known && !jdPodNameOf(core.namespace(), name)) throw notFound(name);
  const warnings = fromStorage ? [] : await reconciler.freshPod(name, core.freshnessMs());
  const row = storage.row(name);
  if (row) return warned(row.pod, warnings);
  // Not stored: gone (it was known, or a fresh sync did not show it), or only JD Cloud has it
  // (podgate's storage was lost) and it is adopted.
  const syncedAt = Number(storage.rows.meta('synced_at') ?? 0);
  if (known || fromStorage || Date.now() - syncedAt <= core.freshnessMs()) throw notFound(name);
  return recover(core, name);
}

/**
 * The namespace's pods from storage, one page. With no resourceVersion, storage is first made no
 * older than the freshness bound (one namespace sync, shared by concurrent readers); a
 * resourceVersion given answers from storage at once (see snapshots.ts for Exact and for the
 * pages after the first, which come from the first page's snapshot).
 */
export async function list(
  core: NamespaceCore,
  options: ListOptions,
): Promise<(Page & { resourceVersion: string }) | Warned<Page & { resourceVersion: string }>> {
  const fromStorage = options.resourceVersion !== undefined || options.continue !== undefined;
  const warnings = fromStorage ? [] : await core.reconciler.fresh(core.freshnessMs());
  await core.operations.arm();
  // Read after the last await: the page is the stored state as it is now.
  return warned(listAt(core.storage, options, selectorMatcher(options)), warnings);
}

/** A container's log, read from JD Cloud (the stored spec names the containers). */
export async function logs(core: NamespaceCore, name: string, input: LogInput): Promise<string> {
  const row = await rowOrRecover(core, name);
  const container = resolveLogContainer(row.pod, input.container);
  if (!row.jdPodId) return '';
  return core.jd().logs(core.settings().regionId, row.jdPodId, { ...input, container }, name);
}

/**
 * Where a container of pod `name` runs on JD, for the Worker's exec/attach bridge and its
 * `logs -f` loop (one storage read, no JD call): the session then runs outside this object.
 */
export async function streamTarget(
  core: NamespaceCore,
  name: string,
  container: string | undefined,
): Promise<StreamTarget> {
  const row = await rowOrRecover(core, name);
  return {
    regionId: core.settings().regionId,
    jdPodId: row.jdPodId ?? null,
    container: resolveLogContainer(row.pod, container),
    phase: streamPhase(row.pod),
  };
}

/**
 * The phase a log follow or an exec session acts on. A pod stopped on JD Cloud keeps phase
 * Running (with reason Stopped, as the kubelet shows a restart-always pod whose containers
 * exited): for a stream it is not running unless one of its containers runs.
 */
function streamPhase(pod: Pod): string {
  const phase = pod.status?.phase ?? 'Pending';
  const running = pod.status?.containerStatuses?.some((c) => c.state?.running);
  return phase === 'Running' && !running ? 'Stopped' : phase;
}

/**
 * The namespace's kept Events matching `options`, one page. Like a pod list, with no
 * resourceVersion the pods are first made no older than the freshness bound, so the events of
 * what JD Cloud did meanwhile are there (`kubectl describe` lists them after reading the pod).
 */
export async function listEvents(
  core: NamespaceCore,
  options: ListOptions,
): Promise<EventPage | Warned<EventPage>> {
  const warnings = options.resourceVersion ? [] : await core.reconciler.fresh(core.freshnessMs());
  const { storage } = core;
  return warned(
    eventPage(storage.events.all(), options, String(storage.rows.currentRv())),
    warnings,
  );
}

export function getEvent(core: NamespaceCore, name: string): CoreEvent {
  const event = core.storage.events.get(name);
  if (!event) throw notFound(name, 'events');
  return event;
}

/** How long the instance-type catalogue is reused before it is fetched again. */
const CATALOGUE_TTL_MS = 10 * 60_000;

/** The region's instance-type catalogue, cached for ten minutes per namespace object. */
export class Catalogue {
  private cached: { at: number; types: JdInstanceType[] } | undefined;

  /** The catalogue; with `cachedOnly` (dry runs) never fetched, empty when nothing is cached. */
  async get(core: NamespaceCore, cachedOnly: boolean): Promise<JdInstanceType[]> {
    if (cachedOnly) return this.cached?.types ?? [];
    if (!this.cached || Date.now() - this.cached.at > CATALOGUE_TTL_MS) {
      this.cached = {
        at: Date.now(),
        types: await core.jd().instanceTypes(core.settings().regionId),
      };
    }
    return this.cached.types;
  }
}
