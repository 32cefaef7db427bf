/**
 * What every part of the namespace object shares: its storage, its binding to a configured
 * namespace, its JD clients, the operation journal and the reconciler. Commands (commands.ts),
 * reads (reads.ts), the reconciler's folds (reconcile.ts) and the journal (operations.ts) all
 * work through one `NamespaceCore`; the Durable Object (namespace-store.ts) only wires it to RPC.
 */
import { jdBudgetFor } from '../budget/budget-for';
import { configFor, type NamespaceSettings } from '../config';
import type { JdPod } from '../jdcloud/models';
import type { Pod } from '../k8s/pod';
import { semanticEqual } from '../k8s/semantic-diff';
import { notFound } from '../k8s/status';
import { type GatewayJdClient, jdClientFor } from './jd';
import { type OperationHost, OperationQueue, type Overlay } from './operations';
import { confirmUnlisted, foldListing, refreshPod } from './reconcile';
import type { PodRow, RowChange } from './rows';
import { NamespaceStorage } from './storage';
import { Reconciler } from './sync';
import { podView } from './view';

/** A namespace's settings; 404 for a namespace podgate is not configured for. */
function settingsOf(env: Env, namespace: string): NamespaceSettings {
  const settings = configFor(env).namespaces.get(namespace);
  if (!settings) throw notFound(namespace, 'namespaces');
  return settings;
}

export class NamespaceCore implements OperationHost {
  readonly storage: NamespaceStorage;
  readonly operations: OperationQueue;
  readonly reconciler: Reconciler;
  private client: GatewayJdClient | undefined;
  private refreshClient: GatewayJdClient | undefined;
  private actionClient: GatewayJdClient | undefined;

  constructor(
    state: DurableObjectState,
    private readonly env: Env,
  ) {
    this.storage = new NamespaceStorage(state.storage.sql);
    this.operations = new OperationQueue(state.storage, this);
    this.reconciler = new Reconciler({
      listJdPods: (priority) =>
        this.refreshJd()
          .withPriority(priority)
          .listNamespacePods(this.settings().regionId, this.namespace()),
      foldListing: (jdPods) => foldListing(this, jdPods),
      confirmUnlisted: (listed) => confirmUnlisted(this, listed),
      refreshPod: (name) => refreshPod(this, name),
      podCount: () => this.storage.rows.count(),
      jdPodIdOf: (name) => this.storage.row(name)?.jdPodId ?? undefined,
      syncedAt: () => Number(this.storage.rows.meta('synced_at') ?? 0),
      setSyncedAt: (at) => this.storage.rows.setMeta('synced_at', String(at)),
      working: () => this.operations.names().size > 0,
      watched: () => this.storage.watchers.size > 0 || this.storage.eventWatchers.size > 0,
      changedAt: () => this.storage.changedAt,
      pollMs: () => this.pollMs(),
      idleSyncMs: () => configFor(this.env).idleSyncMs,
    });
  }

  /** The namespace this object serves; remembered on first use so alarms know it too. */
  bind(namespace: string): NamespaceSettings {
    const known = this.storage.rows.meta('namespace');
    if (known !== namespace) this.storage.rows.setMeta('namespace', namespace);
    return settingsOf(this.env, namespace);
  }

  /** True once a request has bound the object to its namespace (an alarm before that idles). */
  bound(): boolean {
    return this.storage.rows.meta('namespace') !== undefined;
  }

  namespace(): string {
    const ns = this.storage.rows.meta('namespace');
    if (!ns) throw new Error('namespace store used before bind()');
    return ns;
  }

  settings(): NamespaceSettings {
    return settingsOf(this.env, this.namespace());
  }

  jd(): GatewayJdClient {
    this.client ??= jdClientFor(configFor(this.env), { budget: jdBudgetFor(this.env) });
    return this.client;
  }

  /**
   * The client a sync's calls go through (reconcile.ts). Its reads never wait for budget room:
   * when the budget is spent, a reader is served storage with a warning instead.
   */
  refreshJd(): GatewayJdClient {
    this.refreshClient ??= jdClientFor(configFor(this.env), {
      budget: jdBudgetFor(this.env, { read: 0 }),
    });
    return this.refreshClient;
  }

  /** `jd()` at the budget's `action` priority, for journaled operations (see OperationHost). */
  actionJd(): GatewayJdClient {
    this.actionClient ??= this.jd().withPriority('action');
    return this.actionClient;
  }

  pollMs(): number {
    return configFor(this.env).pollMs;
  }

  /** How old stored state a read with no resourceVersion accepts (`PODGATE_READ_FRESHNESS_MS`). */
  freshnessMs(): number {
    return configFor(this.env).readFreshnessMs;
  }

  /** When the alarm should next sync the namespace from JD Cloud (see sync.ts), or null. */
  nextSyncAt(): number | null {
    return this.reconciler.nextSyncAt();
  }

  row(name: string): PodRow | undefined {
    return this.storage.row(name);
  }

  /** The guaranteed update (see `NamespaceStorage.update`). */
  update(name: string, change: (row: PodRow) => RowChange | undefined): Pod | undefined {
    return this.storage.update(name, change);
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
}
