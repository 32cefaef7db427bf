/**
 * The namespace's Durable Object: the one place that changes a namespace's pods, and the RPC
 * surface the Worker's handlers call. Each method binds the object to its namespace and hands
 * the work to the part that owns it:
 *
 * - storage.ts: rows, versions, the watch history, Events, pushed fan-out;
 * - commands.ts: create, delete, the compare-and-set behind PUT/PATCH, stop/start;
 * - reads.ts and snapshots.ts: GET, LIST (at a version), logs, Events, from storage;
 * - sync.ts and reconcile.ts: when to sync from JD Cloud, and what a sync does to storage;
 * - operations.ts: the journal of operations that outlive a request, driven by the alarm.
 *
 * Results cross RPC as `StoreResult`s (result.ts): a failure is a Status, never a thrown error.
 */
import { DurableObject } from 'cloudflare:workers';
import type { JdInstanceType } from '../jdcloud/models';
import type { CoreEvent } from '../k8s/event';
import type { DeleteOptions, Pod } from '../k8s/pod';
import * as commands from './commands';
import { NamespaceCore } from './core';
import type { EventPage } from './event-list';
import { type EventWatchRequest, openEventWatch } from './event-watch';
import type { ListOptions, Page } from './list';
import * as reads from './reads';
import { rowOrRecover } from './reconcile';
import { capture, type StoreResult, type Warned } from './result';
import { openWatch, startsWithState, type WatchRequest } from './watch-stream';
import type { Watchers } from './watchers';

export type { CreateInput } from './commands';
export type { LogInput, StreamTarget } from './reads';

type Stream = { id: string; stream: ReadableStream<Uint8Array> };

export class NamespaceStore extends DurableObject<Env> {
  readonly core: NamespaceCore;
  private readonly catalogueCache = new reads.Catalogue();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.core = new NamespaceCore(ctx, env);
  }

  /** Runs `work` for `namespace` (404 when podgate is not configured for it) as a StoreResult. */
  private run<T>(
    namespace: string,
    work: () => Promise<T | Warned<T>> | T,
  ): Promise<StoreResult<T>> {
    return capture(async () => {
      this.core.bind(namespace);
      return work();
    });
  }

  /** The pods' watchers (tests count them). */
  get watchers(): Watchers {
    return this.core.storage.watchers;
  }

  // ── commands ──────────────────────────────────────────────────────────────────────────────

  create(namespace: string, input: commands.CreateInput): Promise<StoreResult<Pod>> {
    return this.run(namespace, () => commands.create(this.core, input));
  }

  delete(namespace: string, name: string, options: DeleteOptions): Promise<StoreResult<Pod>> {
    return this.run(namespace, () => commands.remove(this.core, name, options));
  }

  /**
   * The stored pod an update starts from (recovered from JD Cloud if this object lost it). The
   * Worker applies the change to it (patching, validation: heavy, caller-controlled work stays
   * out of this single-threaded object) and hands the result to `write`.
   */
  current(namespace: string, name: string): Promise<StoreResult<Pod>> {
    return this.run(namespace, async () => (await rowOrRecover(this.core, name)).pod);
  }

  /** The compare-and-set behind PUT and PATCH (commands.ts `write`). */
  write(
    namespace: string,
    name: string,
    input: { base: string; next: Pod; dryRun: boolean },
  ): Promise<StoreResult<{ stored: Pod } | { stale: true }>> {
    return this.run(namespace, () => commands.write(this.core, name, input));
  }

  power(
    namespace: string,
    name: string,
    action: 'stop' | 'start',
    dryRun: boolean,
  ): Promise<StoreResult<Pod>> {
    return this.run(namespace, () => commands.power(this.core, name, action, dryRun));
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────

  get(
    namespace: string,
    name: string,
    options: { resourceVersion?: string | undefined } = {},
  ): Promise<StoreResult<Pod>> {
    return this.run(namespace, () => reads.get(this.core, name, options));
  }

  list(
    namespace: string,
    options: ListOptions,
  ): Promise<StoreResult<Page & { resourceVersion: string }>> {
    return this.run(namespace, () => reads.list(this.core, options));
  }

  logs(namespace: string, name: string, input: reads.LogInput): Promise<StoreResult<string>> {
    return this.run(namespace, () => reads.logs(this.core, name, input));
  }

  streamTarget(
    namespace: string,
    name: string,
    container: string | undefined,
  ): Promise<StoreResult<reads.StreamTarget>> {
    return this.run(namespace, () => reads.streamTarget(this.core, name, container));
  }

  /**
   * The region's instance-type catalogue, fetched at most every ten minutes; with `cachedOnly`
   * (dry runs) never fetched, empty when nothing is cached.
   */
  catalogue(namespace: string, cachedOnly = false): Promise<StoreResult<JdInstanceType[]>> {
    return this.run(namespace, () => this.catalogueCache.get(this.core, cachedOnly));
  }

  listEvents(namespace: string, options: ListOptions): Promise<StoreResult<EventPage>> {
    return this.run(namespace, () => reads.listEvents(this.core, options));
  }

  getEvent(namespace: string, name: string): Promise<StoreResult<CoreEvent>> {
    return this.run(namespace, () => reads.getEvent(this.core, name));
  }

  // ── watches ───────────────────────────────────────────────────────────────────────────────

  /**
   * Opens a watch stream (watch-stream.ts): the events committed after its start, pushed, among
   * them every change the reconciler finds in JD Cloud.
   */
  watch(namespace: string, request: WatchRequest): Promise<StoreResult<Stream>> {
    return this.run(namespace, async () => {
      const { storage } = this.core;
      // The per-caller cap (429) is judged before the refresh a new watch would cost.
      if (request.caller)
        storage.watchers.checkRoom(request.caller, request.maxWatches ?? Infinity);
      return this.opened(request, (id) => openWatch(storage, { ...request, id }));
    });
  }

  /** Opens a watch over the namespace's Events (event-watch.ts). */
  watchEvents(namespace: string, request: EventWatchRequest): Promise<StoreResult<Stream>> {
    return this.run(namespace, async () => {
      const { storage } = this.core;
      if (request.caller) {
        storage.eventWatchers.checkRoom(request.caller, request.maxWatches ?? Infinity);
      }
      return this.opened(request, (id) => openEventWatch(storage, { ...request, id }));
    });
  }

  /**
   * A watch that starts with the current state starts from storage as fresh as a list's; an
   * open watch keeps the namespace syncing at the poll cadence (see sync.ts).
   */
  private async opened(
    request: WatchRequest,
    open: (id: string) => ReadableStream<Uint8Array>,
  ): Promise<Stream> {
    if (startsWithState(request)) await this.core.reconciler.fresh(this.core.freshnessMs());
    const id = crypto.randomUUID();
    const stream = open(id);
    await this.core.operations.arm();
    return { id, stream };
  }

  /** Ends the watch `id` at once: the gateway saw its client disconnect. */
  closeWatch(id: string): void {
    this.core.storage.watchers.close(id);
    this.core.storage.eventWatchers.close(id);
  }

  // ── the alarm: journaled operations, then the sync cadence ───────────────────────────────

  override async alarm(): Promise<void> {
    const { core } = this;
    if (!core.bound()) return;
    await core.operations.runDue();
    const sync = core.reconciler.nextSyncAt();
    if (sync !== null && sync <= Date.now()) {
      await core.reconciler.sync();
      await core.operations.arm();
    }
  }
}
