/**
 * The namespace's Durable Object: the one place that changes a namespace's pods.
 *
 * It owns the Kubernetes identity of every pod (uid, resourceVersion, labels, annotations,
 * desired spec), talks to JD Cloud for everything JD Cloud knows, journals operations that
 * outlive a request, and drives them with alarms. Handlers in routes/ stay thin: they validate,
 * call one method here, and render the result.
 */
import { DurableObject } from 'cloudflare:workers';
import { jdBudgetFor } from '../budget/budget-for';
import { configFor, type NamespaceSettings } from '../config';
import type { JdInstanceType, JdPod } from '../jdcloud/models';
import type { JdPodSpec } from '../jdcloud/specs';
import type { CoreEvent } from '../k8s/event';
import { resolveLogContainer } from '../k8s/log-options';
import type { DeleteOptions, Pod } from '../k8s/pod';
import { podEvents } from '../k8s/pod-events';
import { formatTime } from '../k8s/prepare-create';
import { semanticEqual } from '../k8s/semantic-diff';
import { alreadyExists, conflictWithMessage, gone, notFound } from '../k8s/status';
import { identityFromTags, podKeyFromJdName } from '../translate/jd-name';
import { checkDeletePreconditions } from './delete-preconditions';
import { type EventPage, eventPage } from './event-list';
import { type EventWatchRequest, openEventWatch } from './event-watch';
import { type EventChange, EventLog } from './events';
import { type GatewayJdClient, jdClientFor } from './jd';
import { describeError, isRetryable } from './jd-failure';
import { type ListOptions, type Page, paginate } from './list';
import {
  type Journal,
  type OperationHost,
  OperationQueue,
  type Overlay,
  overlayOf,
} from './operations';
import { capture, type StoreResult } from './result';
import { imagesChanged } from './rollout';
import { type PodRow, type RowChange, Rows, type StoredEvent } from './rows';
import { migrate } from './schema';
import { selectorMatcher } from './selectors';
import { Reconciler } from './sync';
import { checkRolloutAllowed } from './update';
import { podView, recoveredPod, withOverlay } from './view';
import { openWatch, startsWithState, type WatchRequest } from './watch-stream';
import { Watchers } from './watchers';

export interface CreateInput {
  pod: Pod;
  jdSpec: JdPodSpec;
  clientToken: string;
  dryRun: boolean;
}

/** A namespace's settings; 404 for a namespace podgate is not configured for. */
function settingsOf(env: Env, namespace: string): NamespaceSettings {
  const settings = configFor(env).namespaces.get(namespace);
  if (!settings) throw notFound(namespace, 'namespaces');
  return settings;
}

/** How long the instance-type catalogue is reused before it is fetched again. */
const CATALOGUE_TTL_MS = 10 * 60_000;

export interface LogInput {
  /** The container asked for; defaulted to the only one, as the apiserver does. */
  container?: string | undefined;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

/** What {@link NamespaceStore.streamTarget} answers. */
export interface StreamTarget {
  regionId: string;
  /** null while the pod's createPods has not returned. */
  jdPodId: string | null;
  container: string;
  /** The last observed phase; `Stopped` when no container runs (see `streamPhase`). */
  phase: string;
}

export class NamespaceStore extends DurableObject<Env> implements OperationHost {
  private readonly rows: Rows;
  private readonly operations: OperationQueue;
  readonly watchers = new Watchers();
  readonly eventWatchers = new Watchers<EventChange>();
  private readonly events: EventLog;
  private client: GatewayJdClient | undefined;
  private actionClient: GatewayJdClient | undefined;
  private readonly reconciler: Reconciler;
  private cachedCatalogue: { at: number; types: JdInstanceType[] } | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.rows = new Rows(ctx.storage.sql);
    // Events take the namespace's next resourceVersion, as pods do (see events.ts).
    this.events = new EventLog(ctx.storage.sql, () => {
      const rv = this.rows.currentRv() + 1;
      this.rows.setMeta('rv', String(rv));
      return rv;
    });
    this.operations = new OperationQueue(ctx.storage, this);
    this.reconciler = new Reconciler({
      listJdPods: (priority) =>
        this.jd()
          .withPriority(priority)
          .listNamespacePods(this.settings().regionId, this.namespace()),
      foldListing: (jdPods) => this.foldListing(jdPods),
      confirmUnlisted: (listed) => this.confirmUnlisted(listed),
      refreshPod: (name) => this.refreshPod(name),
      jdPodIdOf: (name) => this.rows.get(name)?.jdPodId ?? undefined,
      syncedAt: () => Number(this.rows.meta('synced_at') ?? 0),
      setSyncedAt: (at) => this.rows.setMeta('synced_at', String(at)),
      busy: () =>
        this.watchers.size > 0 || this.eventWatchers.size > 0 || this.operations.names().size > 0,
      pollMs: () => this.pollMs(),
      idleSyncMs: () => configFor(this.env).idleSyncMs,
    });
  }

  /** When the alarm should next sync the namespace from JD Cloud (see sync.ts), or null. */
  nextSyncAt(): number | null {
    return this.reconciler.nextSyncAt();
  }

  /** How old stored state a read with no resourceVersion accepts (`PODGATE_READ_FRESHNESS_MS`). */
  private freshnessMs(): number {
    return configFor(this.env).readFreshnessMs;
  }

  /** The namespace this object serves; remembered on first use so alarms know it too. */
  private bind(namespace: string): NamespaceSettings {
    const known = this.rows.meta('namespace');
    if (known !== namespace) this.rows.setMeta('namespace', namespace);
    return settingsOf(this.env, namespace);
  }

  namespace(): string {
    const ns = this.rows.meta('namespace');
    if (!ns) throw new Error('namespace store used before bind()');
    return ns;
  }

  settings(): NamespaceSettings {
    return settingsOf(this.env, this.namespace());
  }

  /** `jd()` at the budget's `action` priority, for journaled operations (see OperationHost). */
  actionJd(): GatewayJdClient {
    this.actionClient ??= this.jd().withPriority('action');
    return this.actionClient;
  }

  jd(): GatewayJdClient {
    this.client ??= jdClientFor(configFor(this.env), { budget: jdBudgetFor(this.env) });
    return this.client;
  }

  pollMs(): number {
    return configFor(this.env).pollMs;
  }

  /**
   * The region's instance-type catalogue, fetched at most every ten minutes; with `cachedOnly`
   * (dry runs) never fetched, empty when nothing is cached.
   */
  async catalogue(namespace: string, cachedOnly = false): Promise<StoreResult<JdInstanceType[]>> {
    return capture(async () => {
      const { regionId } = this.bind(namespace);
      if (cachedOnly) return this.cachedCatalogue?.types ?? [];
      if (!this.cachedCatalogue || Date.now() - this.cachedCatalogue.at > CATALOGUE_TTL_MS) {
        this.cachedCatalogue = { at: Date.now(), types: await this.jd().instanceTypes(regionId) };
      }
      return this.cachedCatalogue.types;
    });
  }

  /**
   * Writes a new version of a pod and tells the watchers; records the Events the change makes
   * (k8s/pod-events.ts) in the same synchronous step, and tells their watchers.
   */
  commit(
    type: StoredEvent['type'],
    pod: Pod,
    fields: { uid: string; jdPodId: string | null },
  ): Pod {
    const before = this.rows.get(pod.metadata.name as string);
    const { pod: stored, event } = this.rows.commit(type, pod, fields);
    this.watchers.publish(event);
    const previous = before && { pod: before.pod, accepted: before.jdPodId !== null };
    const drafts = podEvents(previous, { pod: stored, accepted: fields.jdPodId !== null }, type);
    for (const change of this.events.record(stored, drafts)) this.eventWatchers.publish(change);
    return stored;
  }

  row(name: string): PodRow | undefined {
    return this.rows.get(name);
  }

  /**
   * The guaranteed update (the apiserver's GuaranteedUpdate): `change` gets the row as it is
   * now, and its result is committed in the same synchronous step, so nothing written since the
   * caller's last await is lost. Every change of a stored pod after an await goes through here.
   * Returns the stored pod (undefined when there is no such row, or the change deleted it).
   */
  update(name: string, change: (row: PodRow) => RowChange | undefined): Pod | undefined {
    const row = this.rows.get(name);
    if (!row) return undefined;
    const next = change(row);
    if (!next) return row.pod;
    const jdPodId = next.jdPodId === undefined ? row.jdPodId : next.jdPodId;
    const stored = this.commit(next.type, next.pod, { uid: row.uid, jdPodId });
    return next.type === 'DELETED' ? undefined : stored;
  }

  // ── create ────────────────────────────────────────────────────────────────────────────────

  /**
   * Creates the JD pod first and stores the Pod once JD Cloud has accepted it, so a refused
   * create leaves nothing behind. If JD Cloud stays unavailable through the client's retries,
   * the pod is stored Pending and the journal retries createPods with the same clientToken
   * (which JD Cloud deduplicates) until it is accepted.
   */
  async create(namespace: string, input: CreateInput): Promise<StoreResult<Pod>> {
    return capture(async () => {
      const { regionId } = this.bind(namespace);
      const name = input.pod.metadata.name as string;
      const uid = input.pod.metadata.uid as string;
      const creating = this.operations.creating;
      if (this.rows.get(name) || creating.has(name)) throw alreadyExists(name);
      if (input.dryRun) return input.pod;
      creating.add(name);
      try {
        const podId = await this.jd().createPod(regionId, name, input.jdSpec, input.clientToken);
        const pod = this.commit('ADDED', input.pod, { uid, jdPodId: podId });
        await this.operations.watchTransition(name);
        return pod;
      } catch (error) {
        // Only a failure worth retrying is journaled; anything else (a refusal, podgate's
        // credentials refused) fails the create now, leaving nothing stored.
        if (!isRetryable(error)) throw error;
        const journal: Journal = {
          kind: 'create',
          clientToken: input.clientToken,
          jdSpec: input.jdSpec,
          attempts: 1,
          lastError: describeError(error),
        };
        // Stored with the journal's reason (one ADDED event), then journaled.
        const status = withOverlay(input.pod.status, overlayOf(journal, input.pod.spec));
        const pod = this.commit('ADDED', { ...input.pod, status }, { uid, jdPodId: null });
        await this.operations.schedule(name, journal, Date.now() + this.pollMs());
        return pod;
      } finally {
        creating.delete(name);
      }
    });
  }

  // ── read ──────────────────────────────────────────────────────────────────────────────────

  /**
   * A pod from storage. With no resourceVersion (or any but "0") the stored pod is first made no
   * older than the freshness bound (one describePod, shared by concurrent readers); should JD
   * Cloud not answer, the stored pod is served with a warning saying how old its status is.
   */
  async get(
    namespace: string,
    name: string,
    options: { resourceVersion?: string | undefined } = {},
  ): Promise<StoreResult<Pod>> {
    return capture(async () => {
      this.bind(namespace);
      const fromStorage = options.resourceVersion === '0';
      const known = this.rows.get(name) !== undefined;
      const warnings = fromStorage ? [] : await this.reconciler.freshPod(name, this.freshnessMs());
      const row = this.rows.get(name);
      if (row) return warnings.length ? { value: row.pod, warnings } : row.pod;
      // Not stored: gone (it was known, or a fresh sync did not show it), or only JD Cloud has
      // it (podgate's storage was lost) and it is adopted.
      const syncedAt = Number(this.rows.meta('synced_at') ?? 0);
      if (known || fromStorage || Date.now() - syncedAt <= this.freshnessMs()) {
        throw notFound(name);
      }
      return this.recover(name);
    });
  }

  /** Refreshes one stored pod from describePod (a read's freshness; see sync.ts). */
  private async refreshPod(name: string): Promise<void> {
    const row = this.rows.get(name);
    if (!row?.jdPodId) return;
    const jdPod = await this.jd().describePodOrGone(this.settings().regionId, row.jdPodId, name);
    this.observe(name, row.jdPodId, jdPod);
  }

  /**
   * Folds what JD Cloud reports of JD pod `jdPodId` into the stored pod, as a guaranteed update:
   * a changed status is a new version (and a MODIFIED event); a pod JD Cloud no longer has
   * (describePod: not found) is gone (DELETED) and answers undefined. A row that has moved on to
   * another JD pod meanwhile is left alone.
   */
  observe(
    name: string,
    jdPodId: string,
    jdPod: JdPod | undefined,
    overlay?: Overlay,
  ): Pod | undefined {
    return this.update(name, (row) => {
      if (row.jdPodId !== jdPodId) return undefined;
      if (!jdPod) return { type: 'DELETED', pod: row.pod };
      const next = podView(row.pod, jdPod, overlay ?? this.operations.describe(name));
      return semanticEqual(next.status, row.pod.status)
        ? undefined
        : { type: 'MODIFIED', pod: next };
    });
  }

  /** A pod JD Cloud has but this object lost (storage wiped): adopt it from its JD name/tags. */
  private async recover(name: string): Promise<Pod> {
    const namespace = this.namespace();
    const jdPod = await this.jd().findPodByName(this.settings().regionId, namespace, name);
    // Decided after the await: the pod may have been stored, created or deleted meanwhile.
    const now = this.rows.get(name);
    if (now) return now.pod;
    const adoptable =
      jdPod && !this.operations.creating.has(name) && !this.rows.isTombstoned(jdPod.podId);
    if (!adoptable) throw notFound(name);
    return this.adopt(jdPod).pod;
  }

  private adopt(jdPod: JdPod): { pod: Pod; warning: string } {
    const recovered = recoveredPod(jdPod, this.namespace());
    const pod = this.commit('ADDED', recovered.pod, { uid: recovered.uid, jdPodId: jdPod.podId });
    return { pod, warning: recovered.warning };
  }

  // ── list ──────────────────────────────────────────────────────────────────────────────────

  /**
   * The namespace's pods from storage. With no resourceVersion, storage is first made no older
   * than the freshness bound (one namespace sync, shared by concurrent readers); any
   * resourceVersion given (the newest stored state is never older than one podgate handed out)
   * answers from storage at once. Should JD Cloud not answer, storage is served with a warning.
   */
  async list(
    namespace: string,
    options: ListOptions,
  ): Promise<StoreResult<Page & { resourceVersion: string }>> {
    return capture(async () => {
      this.bind(namespace);
      const warnings = options.resourceVersion
        ? []
        : await this.reconciler.fresh(this.freshnessMs());
      await this.operations.arm();
      // Read after the last await: the page is the stored state as it is now.
      const pods = this.rows.all().map((row) => row.pod);
      const selected = pods.filter(selectorMatcher(options));
      const value = paginate(selected, options, String(this.rows.currentRv()));
      return warnings.length ? { value, warnings } : value;
    });
  }

  /**
   * Folds a listing of the namespace's JD pods into storage; returns the warnings of pods
   * adopted from JD Cloud alone. Synchronous: every row is read as it is now.
   */
  private foldListing(jdPods: readonly JdPod[]): string[] {
    const warnings: string[] = [];
    for (const jdPod of jdPods) {
      const name = jdPod.name && podKeyFromJdName(jdPod.name)?.name;
      if (!name) continue;
      const row = this.rows.get(name);
      if (!row) {
        // A create in flight stores its pod itself once JD Cloud answers: never adopt it here.
        // Nor a pod whose deletion was committed while this listing was on its way.
        if (this.operations.creating.has(name) || this.rows.isTombstoned(jdPod.podId)) continue;
        warnings.push(this.adopt(jdPod).warning);
      } else if (row.jdPodId === jdPod.podId) {
        this.observe(name, jdPod.podId, jdPod);
      } else if (!row.jdPodId && !this.operations.creating.has(name)) {
        // A journaled create whose answer was lost: JD Cloud has the pod if it carries our uid.
        if (jdPod.name && identityFromTags(jdPod.name, jdPod.tags)?.uid === row.uid) {
          this.update(name, (now) =>
            now.jdPodId ? undefined : { type: 'MODIFIED', pod: now.pod, jdPodId: jdPod.podId },
          );
          this.observe(name, jdPod.podId, jdPod);
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
  private async confirmUnlisted(listed: ReadonlySet<string>): Promise<void> {
    const unlisted = this.rows.all().filter((row) => row.jdPodId && !listed.has(row.jdPodId));
    const { regionId } = this.settings();
    for (const row of unlisted) {
      const jdPodId = row.jdPodId as string;
      const jdPod = await this.jd().describePodOrGone(regionId, jdPodId, row.name);
      this.observe(row.name, jdPodId, jdPod);
    }
  }

  // ── delete ────────────────────────────────────────────────────────────────────────────────

  async delete(namespace: string, name: string, options: DeleteOptions): Promise<StoreResult<Pod>> {
    return capture(async () => {
      this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      checkDeletePreconditions(row, options);
      const dryRun = options.dryRun?.includes('All') ?? false;
      if (dryRun) return row.pod;
      // Marked and journaled in one synchronous step: the delete outranks every other journal.
      const marked = row.pod.metadata.deletionTimestamp ? row.pod : this.markDeleted(row, options);
      if (this.operations.get(name)?.kind !== 'delete') {
        // A Terminating pod without its delete journaled (an older object, a lost journal) gets
        // one now: a second DELETE always finishes the job.
        await this.operations.runNow(name, { kind: 'delete', attempts: 0 });
      }
      return this.rows.get(name)?.pod ?? marked;
    });
  }

  /** Stores the pod with its deletionTimestamp (one MODIFIED event). */
  private markDeleted(row: PodRow, options: DeleteOptions): Pod {
    const grace = Math.max(
      options.gracePeriodSeconds ?? row.pod.spec.terminationGracePeriodSeconds ?? 30,
      0,
    );
    const marked: Pod = {
      ...row.pod,
      metadata: {
        ...row.pod.metadata,
        deletionTimestamp: formatTime(new Date(Date.now() + grace * 1000)),
        deletionGracePeriodSeconds: grace,
      },
    };
    return this.commit('MODIFIED', marked, { uid: row.uid, jdPodId: row.jdPodId });
  }

  private async recoverRow(name: string): Promise<PodRow> {
    await this.recover(name);
    const row = this.rows.get(name);
    if (!row) throw notFound(name);
    return row;
  }

  // ── update (PUT, PATCH): a compare-and-set ───────────────────────────────────────────────

  /**
   * The stored pod an update starts from (recovered from JD Cloud if this object lost it). The
   * Worker applies the change to it (patching, validation: heavy, caller-controlled work stays
   * out of this single-threaded object) and hands the result to `write`.
   */
  async current(namespace: string, name: string): Promise<StoreResult<Pod>> {
    return capture(async () => {
      this.bind(namespace);
      return (this.rows.get(name) ?? (await this.recoverRow(name))).pod;
    });
  }

  /**
   * Stores `next`, computed by the Worker from the pod at resourceVersion `base`, if that is
   * still the stored version (compare-and-set); `{ stale: true }` otherwise, and the Worker
   * computes it again from the new version, as the apiserver's GuaranteedUpdate does. Labels and
   * annotations are stored with no JD call; an image change on a pod JD Cloud has starts (or
   * redirects) the journaled rollout, whose steps all run from the alarm.
   */
  async write(
    namespace: string,
    name: string,
    input: { base: string; next: Pod; dryRun: boolean },
  ): Promise<StoreResult<{ stored: Pod } | { stale: true }>> {
    return capture(async () => {
      this.bind(namespace);
      const row = this.rows.get(name);
      if (!row) throw notFound(name);
      if (row.pod.metadata.resourceVersion !== input.base) return { stale: true as const };
      const next = structuredClone(input.next);
      const rollout = imagesChanged(row.pod.spec, next.spec);
      if (rollout) checkRolloutAllowed(row, this.operations.get(name));
      if (input.dryRun) return { stored: next };
      if (!rollout) {
        if (
          this.operations.get(name)?.kind !== 'rollout' &&
          next.metadata.generation !== undefined
        ) {
          // Nothing to carry out on JD Cloud: the new generation is observed as it is stored.
          next.status.observedGeneration = next.metadata.generation;
        }
        return { stored: this.commit('MODIFIED', next, row) };
      }
      // Journaled here, carried out by the alarm: like the apiserver, the answer is the stored
      // change (with the rollout's reason), not the kubelet's work. One version, one event: the
      // new spec and the rollout's status are stored together, in one synchronous step.
      const journal = this.operations.startRollout(name);
      if (!journal)
        throw conflictWithMessage(name, 'the pod is being deleted; its images cannot change');
      const status = withOverlay(next.status, overlayOf(journal, next.spec));
      const stored = this.commit('MODIFIED', { ...next, status }, row);
      await this.operations.arm();
      return { stored };
    });
  }

  // ── stop / start ──────────────────────────────────────────────────────────────────────────

  async power(
    namespace: string,
    name: string,
    action: 'stop' | 'start',
    dryRun: boolean,
  ): Promise<StoreResult<Pod>> {
    return capture(async () => {
      const settings = this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      if (row.pod.metadata.deletionTimestamp) {
        throw conflictWithMessage(name, `the pod is being deleted; it cannot ${action}`);
      }
      const busy = this.operations.blocking(name);
      if (busy) {
        throw conflictWithMessage(
          name,
          `a ${busy.kind} is in progress; try again when it finishes`,
        );
      }
      if (!row.jdPodId) throw conflictWithMessage(name, 'the pod is still being created');
      if (dryRun) return row.pod;
      const jd = this.jd();
      const jdPodId = row.jdPodId;
      await jd.power(settings.regionId, jdPodId, action, name);
      // JD Cloud has taken the action: the journal follows it from here (unless a delete or
      // rollout journaled meanwhile outranks it, and follows the pod itself), and a failed
      // read-back must not tell the caller that the action failed.
      await this.operations.watchTransition(name);
      let jdPod: JdPod | undefined;
      try {
        jdPod = await jd.describePodOrGone(settings.regionId, jdPodId, name);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        const accepted = this.update(name, (now) =>
          now.jdPodId === jdPodId
            ? { type: 'MODIFIED', pod: actionAccepted(now.pod, action, error) }
            : undefined,
        );
        if (!accepted) throw notFound(name);
        return accepted;
      }
      const pod = this.observe(name, jdPodId, jdPod);
      if (!pod) throw notFound(name);
      return pod;
    });
  }

  // ── logs ──────────────────────────────────────────────────────────────────────────────────

  async logs(namespace: string, name: string, input: LogInput): Promise<StoreResult<string>> {
    return capture(async () => {
      const settings = this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      // The stored spec names the containers: no describePod just to pick one.
      const container = resolveLogContainer(row.pod, input.container);
      if (!row.jdPodId) return '';
      return this.jd().logs(settings.regionId, row.jdPodId, { ...input, container }, name);
    });
  }

  /**
   * Where a container of pod `name` runs on JD, for the Worker's exec/attach bridge and its
   * `logs -f` loop (one storage read, no JD call): the session then runs outside this object.
   */
  async streamTarget(
    namespace: string,
    name: string,
    container: string | undefined,
  ): Promise<StoreResult<StreamTarget>> {
    return capture(async () => {
      const settings = this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      return {
        regionId: settings.regionId,
        jdPodId: row.jdPodId ?? null,
        container: resolveLogContainer(row.pod, container),
        phase: streamPhase(row.pod),
      };
    });
  }

  // ── operations, watch ─────────────────────────────────────────────────────────────────────

  override async alarm(): Promise<void> {
    if (!this.rows.meta('namespace')) return;
    await this.operations.runDue();
    const sync = this.reconciler.nextSyncAt();
    if (sync !== null && sync <= Date.now()) {
      await this.reconciler.sync();
      await this.operations.arm();
    }
  }

  /** Watch history after `rv` (for watch streams); throws 410 Expired when it is too old. */
  history(rv: number): StoredEvent[] {
    const oldest = this.rows.oldestEventRv();
    if (rv < oldest - 1) throw gone(`too old resource version: ${rv} (${oldest - 1})`);
    return this.rows.eventsAfter(rv);
  }

  /** The current pods and the resourceVersion they are at (where a fresh watch starts). */
  snapshot(): { rv: number; pods: Pod[] } {
    return { rv: this.rows.currentRv(), pods: this.rows.all().map((row) => row.pod) };
  }

  /**
   * Opens a watch stream (watch-stream.ts): the events committed after its start, pushed, among
   * them every change the reconciler finds in JD Cloud.
   */
  async watch(
    namespace: string,
    request: WatchRequest,
  ): Promise<StoreResult<{ id: string; stream: ReadableStream<Uint8Array> }>> {
    return capture(async () => {
      this.bind(namespace);
      // The per-caller cap (429) is judged before the refresh a new watch would cost.
      if (request.caller) this.watchers.checkRoom(request.caller, request.maxWatches ?? Infinity);
      // A watch that starts with the current state starts from storage as fresh as a list's.
      if (startsWithState(request)) await this.reconciler.fresh(this.freshnessMs());
      const id = crypto.randomUUID();
      const stream = openWatch(this, { ...request, id });
      // An open watch keeps the namespace syncing at the poll cadence (see sync.ts).
      await this.operations.arm();
      return { id, stream };
    });
  }

  /** Ends the watch `id` at once: the gateway saw its client disconnect. */
  closeWatch(id: string): void {
    this.watchers.close(id);
    this.eventWatchers.close(id);
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  /**
   * The namespace's kept Events matching `options`, one page. Like a pod list, with no
   * resourceVersion the pods are first made no older than the freshness bound, so the events of
   * what JD Cloud did meanwhile are there (`kubectl describe` lists them after reading the pod).
   */
  async listEvents(namespace: string, options: ListOptions): Promise<StoreResult<EventPage>> {
    return capture(async () => {
      this.bind(namespace);
      const warnings = options.resourceVersion
        ? []
        : await this.reconciler.fresh(this.freshnessMs());
      const value = eventPage(this.events.all(), options, String(this.rows.currentRv()));
      return warnings.length ? { value, warnings } : value;
    });
  }

  async getEvent(namespace: string, name: string): Promise<StoreResult<CoreEvent>> {
    return capture(async () => {
      this.bind(namespace);
      const event = this.events.get(name);
      if (!event) throw notFound(name, 'events');
      return event;
    });
  }

  /** Opens a watch over the namespace's Events (event-watch.ts). */
  async watchEvents(
    namespace: string,
    request: EventWatchRequest,
  ): Promise<StoreResult<{ id: string; stream: ReadableStream<Uint8Array> }>> {
    return capture(async () => {
      this.bind(namespace);
      if (request.caller) {
        this.eventWatchers.checkRoom(request.caller, request.maxWatches ?? Infinity);
      }
      if (startsWithState(request)) await this.reconciler.fresh(this.freshnessMs());
      const id = crypto.randomUUID();
      const stream = openEventWatch(this, { ...request, id });
      // An open watch keeps the namespace syncing at the poll cadence, so events keep coming.
      await this.operations.arm();
      return { id, stream };
    });
  }

  eventChangesAfter(rv: number): EventChange[] {
    return this.events.changesAfter(rv);
  }

  eventSnapshot(): { rv: number; events: CoreEvent[] } {
    return { rv: this.rows.currentRv(), events: this.events.all() };
  }
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
 * The pod right after JD Cloud accepted a stop or start that could not be read back: it says
 * the pod is in that transition (not ready) until the journal's next read shows JD's phase.
 */
function actionAccepted(pod: Pod, action: 'stop' | 'start', error: unknown): Pod {
  const why = describeError(error);
  const conditions = pod.status.conditions?.map((c) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: 'False' as const } : c,
  );
  return {
    ...pod,
    status: {
      ...pod.status,
      ...(conditions ? { conditions } : {}),
      reason: action === 'stop' ? 'Stopping' : 'Starting',
      message: `JD Cloud accepted ${action}Pod; its status could not be read yet: ${why}`,
    },
  };
}
