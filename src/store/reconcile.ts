/**
 * What a sync does to storage (when it runs is sync.ts): folds JD Cloud's listing into the
 * stored pods, confirms absence with describePod, refreshes one pod, and adopts pods only JD
 * Cloud has (podgate's storage was lost). Every commit here is a guaranteed update, decided after
 * the last await.
 */
import type { NamespaceSettings } from '../config';
import type { JdPod } from '../jdcloud/models';
import type { Pod } from '../k8s/pod';
import { notFound } from '../k8s/status';
import { identityFromTags, podKeyFromJdName } from '../translate/jd-name';
import type { GatewayJdClient } from './jd';
import type { PodRow } from './rows';
import type { NamespaceStorage } from './storage';
import { recoveredPod } from './view';

/** What the folds need of the namespace object (see core.ts). */
export interface ReconcileHost {
  readonly storage: NamespaceStorage;
  /** Pods whose createPods is in flight: their create stores them, a listing never adopts them. */
  readonly operations: { readonly creating: ReadonlySet<string> };
  namespace(): string;
  settings(): NamespaceSettings;
  jd(): GatewayJdClient;
  /** The client of a sync's own calls (they never wait for budget room). */
  refreshJd(): GatewayJdClient;
  observe(name: string, jdPodId: string, jdPod: JdPod | undefined): Pod | undefined;
}

/**
 * Folds a listing of the namespace's JD pods into storage; returns the warnings of pods
 * adopted from JD Cloud alone. Synchronous: every row is read as it is now.
 */
export function foldListing(host: ReconcileHost, jdPods: readonly JdPod[]): string[] {
  const { storage, operations } = host;
  const warnings: string[] = [];
  for (const jdPod of jdPods) {
    const name = jdPod.name && podKeyFromJdName(jdPod.name)?.name;
    if (!name) continue;
    const row = storage.row(name);
    if (!row) {
      // A create in flight stores its pod itself once JD Cloud answers: never adopt it here.
      // Nor a pod whose deletion was committed while this listing was on its way.
      if (operations.creating.has(name) || storage.rows.isTombstoned(jdPod.podId)) continue;
      warnings.push(adopt(host, jdPod).warning);
    } else if (row.jdPodId === jdPod.podId) {
      host.observe(name, jdPod.podId, jdPod);
    } else if (!row.jdPodId && !operations.creating.has(name)) {
      // A journaled create whose answer was lost: JD Cloud has the pod if it carries our uid.
      if (jdPod.name && identityFromTags(jdPod.name, jdPod.tags)?.uid === row.uid) {
        storage.update(name, (now) =>
          now.jdPodId ? undefined : { type: 'MODIFIED', pod: now.pod, jdPodId: jdPod.podId },
        );
        host.observe(name, jdPod.podId, jdPod);
      }
    }
    // Otherwise the row points at another JD pod (an earlier pod of that name on its way out).
  }
  return warnings;
}

/**
 * Stored pods a listing did not show: a paginated listing is no proof of absence (a pod
 * deleted mid-listing shifts the pages), so each is confirmed with describePod before it is
 * tombstoned.
 */
export async function confirmUnlisted(
  host: ReconcileHost,
  listed: ReadonlySet<string>,
): Promise<void> {
  const unlisted = host.storage.rows.all().filter((row) => row.jdPodId && !listed.has(row.jdPodId));
  const { regionId } = host.settings();
  for (const row of unlisted) {
    const jdPodId = row.jdPodId as string;
    const jdPod = await host.refreshJd().describePodOrGone(regionId, jdPodId, row.name);
    host.observe(row.name, jdPodId, jdPod);
  }
}

/** Refreshes one stored pod from describePod (a read's freshness; see sync.ts). */
export async function refreshPod(host: ReconcileHost, name: string): Promise<void> {
  const row = host.storage.row(name);
  if (!row?.jdPodId) return;
  const jd = host.refreshJd();
  const jdPod = await jd.describePodOrGone(host.settings().regionId, row.jdPodId, name);
  host.observe(name, row.jdPodId, jdPod);
}

/** A pod JD Cloud has but this object lost (storage wiped): adopt it from its JD name/tags. */
export async function recover(host: ReconcileHost, name: string): Promise<Pod> {
  const { storage } = host;
  const jdPod = await host.jd().findPodByName(host.settings().regionId, host.namespace(), name);
  // Decided after the await: the pod may have been stored, created or deleted meanwhile.
  const now = storage.row(name);
  if (now) return now.pod;
  const adoptable =
    jdPod && !host.operations.creating.has(name) && !storage.rows.isTombstoned(jdPod.podId);
  if (!adoptable) throw notFound(name);
  return adopt(host, jdPod).pod;
}

/** The stored row of pod `name`, recovered from JD Cloud if this object lost it; else 404. */
export async function rowOrRecover(host: ReconcileHost, name: string): Promise<PodRow> {
  const stored = host.storage.row(name);
  if (stored) return stored;
  await recover(host, name);
  const row = host.storage.row(name);
  if (!row) throw notFound(name);
  return row;
}

function adopt(host: ReconcileHost, jdPod: JdPod): { pod: Pod; warning: string } {
  const recovered = recoveredPod(jdPod, host.namespace());
  const pod = host.storage.commit('ADDED', recovered.pod, {
    uid: recovered.uid,
    jdPodId: jdPod.podId,
  });
  return { pod, warning: recovered.warning };
}
