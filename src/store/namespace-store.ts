/**
 * The namespace's Durable Object: the one place that changes a namespace's pods.
 *
 * It owns the Kubernetes identity of every pod (uid, resourceVersion, labels, annotations,
 * desired spec), talks to JD Cloud for everything JD Cloud knows, journals operations that
 * outlive a request, and drives them with alarms. Handlers in routes/ stay thin: they validate,
 * call one method here, and render the result.
 */
import { DurableObject } from 'cloudflare:workers';
import { configFor, type NamespaceSettings } from '../config';
import type { JdInstanceType, JdPod } from '../jdcloud/models';
import type { JdPodSpec } from '../jdcloud/specs';
import { resolveLogContainer } from '../k8s/log-options';
import type { DeleteOptions, Pod } from '../k8s/pod';
import { formatTime } from '../k8s/prepare-create';
import { semanticEqual } from '../k8s/semantic-diff';
import { alreadyExists, conflictWithMessage, gone, notFound } from '../k8s/status';
import { podKeyFromJdName } from '../translate/jd-name';
import { checkDeletePreconditions } from './delete-preconditions';
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
import { type PodRow, Rows, type StoredEvent } from './rows';
import { migrate } from './schema';
import { selectorMatcher } from './selectors';
import { checkRolloutAllowed, type PodChange, preparePodUpdate } from './update';
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

export class NamespaceStore extends DurableObject<Env> implements OperationHost {
  private readonly rows: Rows;
  private readonly operations: OperationQueue;
  readonly watchers = new Watchers();
  private client: GatewayJdClient | undefined;
  /** Names whose createPods call is in flight: a second create of the name is refused. */
  private readonly creating = new Set<string>();
  private cachedCatalogue: { at: number; types: JdInstanceType[] } | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql);
    this.rows = new Rows(ctx.storage.sql);
    this.operations = new OperationQueue(ctx.storage, this);
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

  jd(): GatewayJdClient {
    this.client ??= jdClientFor(configFor(this.env));
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

  /** Writes a new version of a pod and tells the watchers. */
  commit(
    type: StoredEvent['type'],
    pod: Pod,
    fields: { uid: string; jdPodId: string | null },
  ): Pod {
    const { pod: stored, event } = this.rows.commit(type, pod, fields);
    this.watchers.publish(event);
    return stored;
  }

  row(name: string): PodRow | undefined {
    return this.rows.get(name);
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
      if (this.rows.get(name) || this.creating.has(name)) throw alreadyExists(name);
      if (input.dryRun) return input.pod;
      this.creating.add(name);
      try {
        const podId = await this.jd().createPod(regionId, name, input.jdSpec, input.clientToken);
        const pod = this.commit('ADDED', input.pod, { uid, jdPodId: podId });
        await this.operations.watchTransition(name);
        return pod;
      } catch (error) {
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
        this.creating.delete(name);
      }
    });
  }

  // ── read ──────────────────────────────────────────────────────────────────────────────────

  async get(namespace: string, name: string): Promise<StoreResult<Pod>> {
    return capture(async () => {
      const { regionId } = this.bind(namespace);
      const row = this.rows.get(name);
      if (!row) return this.recover(name);
      if (!row.jdPodId) return row.pod;
      const jdPod = await this.jd().describePodOrGone(regionId, row.jdPodId, name);
      const pod = this.observe(row, jdPod);
      if (!pod) throw notFound(name);
      return pod;
    });
  }

  /**
   * Folds what JD Cloud reports into the stored pod: a changed status is a new version (and a
   * MODIFIED event); a pod JD Cloud no longer has is gone (DELETED) and answers 404.
   */
  observe(
    row: PodRow,
    jdPod: JdPod | undefined,
    overlay: Overlay | undefined = this.operations.describe(row.name),
  ): Pod | undefined {
    // Callers read `row` before awaiting JD Cloud; an update may have been stored meanwhile, and
    // only the status is theirs to change.
    const stored = this.rows.get(row.name)?.pod ?? row.pod;
    return this.fold({ ...row, pod: stored }, jdPod, overlay);
  }

  /** `observe` for a row read after the last await (nothing can have changed it since). */
  private fold(
    row: PodRow,
    jdPod: JdPod | undefined,
    overlay: Overlay | undefined,
  ): Pod | undefined {
    if (!jdPod) {
      this.commit('DELETED', row.pod, { uid: row.uid, jdPodId: row.jdPodId });
      return undefined;
    }
    const next = podView(row.pod, jdPod, overlay);
    if (semanticEqual(next.status, row.pod.status)) return row.pod;
    return this.commit('MODIFIED', next, { uid: row.uid, jdPodId: row.jdPodId });
  }

  /** A pod JD Cloud has but this object lost (storage wiped): adopt it from its JD name/tags. */
  private async recover(name: string): Promise<Pod> {
    const namespace = this.namespace();
    const jdPod = await this.jd().findPodByName(this.settings().regionId, namespace, name);
    if (!jdPod) throw notFound(name);
    return this.adopt(jdPod).pod;
  }

  private adopt(jdPod: JdPod): { pod: Pod; warning: string } {
    const recovered = recoveredPod(jdPod, this.namespace());
    const pod = this.commit('ADDED', recovered.pod, { uid: recovered.uid, jdPodId: jdPod.podId });
    return { pod, warning: recovered.warning };
  }

  // ── list ──────────────────────────────────────────────────────────────────────────────────

  async list(
    namespace: string,
    options: ListOptions,
  ): Promise<StoreResult<Page & { resourceVersion: string }>> {
    return capture(async () => {
      const settings = this.bind(namespace);
      const jdPods = await this.jd().listNamespacePods(settings.regionId, namespace);
      // From here on nothing awaits, so rows read now stay current: one query for all of them.
      const rows = new Map(this.rows.all().map((row) => [row.name, row]));
      const busy = this.operations.names();
      const overlay = (name: string) =>
        busy.has(name) ? this.operations.describe(name) : undefined;
      const warnings: string[] = [];
      const pods: Pod[] = [];
      for (const jdPod of jdPods) {
        const name = podKeyFromJdName(jdPod.name)?.name;
        if (!name) continue;
        const row = rows.get(name);
        rows.delete(name);
        if (!row) {
          const adopted = this.adopt(jdPod);
          warnings.push(adopted.warning);
          pods.push(adopted.pod);
        } else if (row.jdPodId === jdPod.podId || !row.jdPodId) {
          const pod = this.fold({ ...row, jdPodId: jdPod.podId }, jdPod, overlay(name));
          if (pod) pods.push(pod);
        }
      }
      // Stored pods JD Cloud did not list: still being created, or gone.
      for (const row of rows.values()) {
        if (!row.jdPodId) pods.push(row.pod);
        else this.fold(row, undefined, undefined);
      }
      const selected = pods.filter(selectorMatcher(options));
      const value = paginate(selected, options, String(this.rows.currentRv()));
      return warnings.length ? { value, warnings } : value;
    });
  }

  // ── delete ────────────────────────────────────────────────────────────────────────────────

  async delete(namespace: string, name: string, options: DeleteOptions): Promise<StoreResult<Pod>> {
    return capture(async () => {
      this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      checkDeletePreconditions(row, options);
      const dryRun = options.dryRun?.includes('All') ?? false;
      if (dryRun) return row.pod;
      if (row.pod.metadata.deletionTimestamp) return row.pod;
      const grace = options.gracePeriodSeconds ?? row.pod.spec.terminationGracePeriodSeconds ?? 30;
      const now = new Date();
      const marked: Pod = {
        ...row.pod,
        metadata: {
          ...row.pod.metadata,
          deletionTimestamp: formatTime(new Date(now.getTime() + Math.max(grace, 0) * 1000)),
          deletionGracePeriodSeconds: Math.max(grace, 0),
        },
      };
      this.commit('MODIFIED', marked, { uid: row.uid, jdPodId: row.jdPodId });
      await this.operations.runNow(name, { kind: 'delete', attempts: 0 });
      return this.rows.get(name)?.pod ?? marked;
    });
  }

  private async recoverRow(name: string): Promise<PodRow> {
    await this.recover(name);
    const row = this.rows.get(name);
    if (!row) throw notFound(name);
    return row;
  }

  // ── update (PUT, PATCH) ──────────────────────────────────────────────────────────────────

  /**
   * Replaces or patches a pod (see update.ts for the rules). Labels and annotations are stored
   * with no JD call; an image change on a pod JD Cloud has starts (or redirects) the journaled
   * rollout, whose steps all run from the alarm.
   */
  async update(
    namespace: string,
    name: string,
    change: PodChange,
    options: { dryRun: boolean },
  ): Promise<StoreResult<Pod>> {
    return capture(async () => {
      this.bind(namespace);
      const row = this.rows.get(name) ?? (await this.recoverRow(name));
      const next = preparePodUpdate(row.pod, change, { namespace, name });
      if (!next) return row.pod;
      const rollout = imagesChanged(row.pod.spec, next.spec);
      if (rollout) checkRolloutAllowed(row);
      if (options.dryRun) return next;
      const busy = this.operations.get(name);
      if (!rollout && busy?.kind !== 'rollout' && next.metadata.generation !== undefined) {
        // Nothing to carry out on JD Cloud: the new generation is observed as it is stored.
        next.status.observedGeneration = next.metadata.generation;
      }
      if (!rollout) return this.commit('MODIFIED', next, { uid: row.uid, jdPodId: row.jdPodId });
      // Journaled here, carried out by the alarm: like the apiserver, the answer is the stored
      // change (with the rollout's reason), not the kubelet's work. One version, one event: the
      // new spec and the rollout's status are stored together.
      // Should the object die between the two, the rollout finds the stored images unchanged
      // and ends; the caller, who had no answer, retries.
      const journal = await this.operations.startRollout(name);
      const status = withOverlay(next.status, overlayOf(journal, next.spec));
      return this.commit('MODIFIED', { ...next, status }, { uid: row.uid, jdPodId: row.jdPodId });
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
      await jd.power(settings.regionId, row.jdPodId, action, name);
      // JD Cloud has taken the action: the journal follows it from here, and a failed read-back
      // must not tell the caller that the action failed.
      await this.operations.watchTransition(name);
      let jdPod: JdPod | undefined;
      try {
        jdPod = await jd.describePodOrGone(settings.regionId, row.jdPodId, name);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        const stored = this.rows.get(name)?.pod ?? row.pod;
        return this.commit('MODIFIED', actionAccepted(stored, action, error), row);
      }
      const pod = this.observe(row, jdPod);
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

  // ── operations, watch ─────────────────────────────────────────────────────────────────────

  override async alarm(): Promise<void> {
    if (!this.rows.meta('namespace')) return;
    await this.operations.runDue();
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
   * Opens a watch stream (watch-stream.ts). A watch that starts with the current state first
   * refreshes the pods from JD Cloud, as a list would.
   */
  async watch(
    namespace: string,
    request: WatchRequest,
  ): Promise<StoreResult<{ id: string; stream: ReadableStream<Uint8Array> }>> {
    return capture(async () => {
      this.bind(namespace);
      // The per-caller cap (429) is judged before the refresh a new watch would cost.
      if (request.caller) this.watchers.checkRoom(request.caller, request.maxWatches ?? Infinity);
      if (startsWithState(request)) await this.list(namespace, {});
      const id = crypto.randomUUID();
      return { id, stream: openWatch(this, { ...request, id }) };
    });
  }

  /** Ends the watch `id` at once: the gateway saw its client disconnect. */
  closeWatch(id: string): void {
    this.watchers.close(id);
  }
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
