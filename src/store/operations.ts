/**
 * The operation journal: work on a pod that outlives one request (finishing a create JD Cloud
 * could not take yet, waiting for a delete to complete, following a transition so watchers see
 * it, an image rollout). Each operation is a row in `operations` with its journal and the time
 * of its next step; the Durable Object's alarm runs due steps, so work resumes after eviction.
 *
 * One pod has at most one journal, and journals have an order of precedence (`PRECEDENCE`):
 * delete > rollout > create > observe. A journal never silently replaces one that outranks it,
 * and every step writes the pod through the host's guaranteed update, from the row as it is
 * after the step's await, never from a copy read before it.
 */
import type { NamespaceSettings } from '../config';
import type { JdPod } from '../jdcloud/models';
import type { JdPodSpec } from '../jdcloud/specs';
import type { Pod, PodSpec } from '../k8s/pod';
import { identityFromTags } from '../translate/jd-name';
import type { GatewayJdClient } from './jd';
import { describeError, isRetryable } from './jd-failure';
import { imagesOf, newRollout, type RolloutJournal, rolloutOverlay } from './rollout';
import { stepRollout } from './rollout-step';
import type { PodRow, RowChange } from './rows';

export type Journal =
  | { kind: 'create'; clientToken: string; jdSpec: JdPodSpec; attempts: number; lastError?: string }
  | { kind: 'delete'; attempts: number; lastError?: string }
  | { kind: 'observe'; attempts: number; lastError?: string }
  | RolloutJournal;

/** What a pod's status shows while an operation runs (or, condition only, once it ended). */
export interface Overlay {
  reason?: string;
  message?: string;
  /** A pod condition to add, e.g. the rollout's progress. */
  condition?: { type: string; status: 'True' | 'False'; reason: string; message: string };
  /**
   * The operation has set JD Cloud stopping, rebuilding or starting the pod: it is not ready,
   * whatever JD said before the action (so storage tells the truth without another read).
   */
  notReady?: boolean;
}

/** What an operation needs of the store. */
export interface OperationHost {
  settings(): NamespaceSettings;
  namespace(): string;
  /**
   * The JD client an operation's calls go through: at the budget's `action` priority (a user's
   * create, delete or rollout keeps its calls when the budget is short; syncs slow down first).
   */
  actionJd(): GatewayJdClient;
  row(name: string): PodRow | undefined;
  /**
   * The guaranteed update: `change` is handed the row as it is now and its result is committed
   * in the same synchronous step (nothing can come between). `undefined`: nothing to write.
   * Returns the stored pod (undefined when there is no row, or it was deleted).
   */
  update(name: string, change: (row: PodRow) => RowChange | undefined): Pod | undefined;
  /**
   * Folds what JD Cloud said of JD pod `jdPodId` into the stored pod, if that is still the JD pod
   * the row points at; `undefined` (describePod: not found) deletes it and returns undefined.
   * `overlay` replaces the running operation's own (a step shows the stage it just began).
   */
  observe(
    name: string,
    jdPodId: string,
    jdPod: JdPod | undefined,
    overlay?: Overlay,
  ): Pod | undefined;
  pollMs(): number;
  /** When the namespace's next sync from JD Cloud is due (the alarm runs it too), or null. */
  nextSyncAt(): number | null;
}

/**
 * Which journal wins when two meet on one pod: a delete supersedes a rollout, which supersedes a
 * create retry, which supersedes following a transition. An observation never replaces an action.
 */
export const PRECEDENCE: Record<Journal['kind'], number> = {
  observe: 0,
  create: 1,
  rollout: 2,
  delete: 3,
};

/** True when `next` may take the place of `current` (an equal kind continues itself). */
export const mayReplace = (current: Journal | undefined, next: Journal): boolean =>
  !current || PRECEDENCE[next.kind] >= PRECEDENCE[current.kind];

/** The outcome of one step: finished, or run again at a time (a new journal may replace it). */
export type StepResult = { done: true } | { at: number; journal?: Journal };

/** Phases in which JD Cloud is still moving a pod; a steady phase ends an `observe`. */
export const TRANSITIONAL = new Set([
  'pending',
  'starting',
  'stopping',
  'rebuilding',
  'resizing',
  'deleting',
]);
/** Phases in which JD Cloud accepts deletePod. */
const DELETABLE = new Set(['running', 'stopped', 'error']);

/**
 * Exponential backoff after the `attempts`-th transient JD failure: the poll interval, then
 * twice that, four times … capped at one minute. Retrying never outpaces polling.
 */
export const backoff = (attempts: number, pollMs: number) =>
  Math.min(60_000, pollMs * 2 ** Math.min(Math.max(attempts - 1, 0), 6));

/**
 * When to fire the alarm for the earliest step due at `next` (null: nothing to do). Never at
 * `now` or before: an alarm re-armed for now from inside the running alarm handler is cleared
 * when the handler returns (local workerd) or left unfired (production) — cloudflare/workerd#6866
 * — which strands every journal behind it. One millisecond later fires as due.
 */
export const alarmAt = (next: number | null | undefined, now: number): number | null =>
  next === null || next === undefined ? null : Math.max(next, now + 1);

/** What `journal` shows in the status of a pod whose desired spec is `spec`. */
export function overlayOf(journal: Journal, spec: PodSpec | undefined): Overlay | undefined {
  switch (journal.kind) {
    case 'create':
      return {
        reason: 'ProviderCreating',
        message: `JD Cloud has not accepted the pod yet; retrying createPods${journal.lastError ? `: ${journal.lastError}` : ''}`,
      };
    case 'rollout': {
      const target = journal.failed ? (journal.previous ?? {}) : spec ? imagesOf(spec) : {};
      return rolloutOverlay(journal, target);
    }
    default:
      return undefined;
  }
}

export class OperationQueue {
  private readonly sql: SqlStorage;
  /** Pods whose rollout step is awaiting JD Cloud in this instance: never stepped twice at once. */
  private readonly stepping = new Set<string>();
  /**
   * Pods whose createPods call (a request's, or a journaled retry) is awaiting JD Cloud in this
   * instance: a second create of the name is refused, a listing does not adopt the JD pod, and a
   * delete waits for the answer before it decides whether JD Cloud has the pod.
   */
  readonly creating = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly host: OperationHost,
  ) {
    this.sql = storage.sql;
  }

  get(name: string): Journal | undefined {
    const row = this.sql
      .exec<{ journal: string }>('SELECT journal FROM operations WHERE name = ?', name)
      .toArray()[0];
    return row ? (JSON.parse(row.journal) as Journal) : undefined;
  }

  /**
   * The operation that keeps another one from starting on `name`, if any. Following a
   * transition (`observe`) blocks nothing: it only watches.
   */
  blocking(name: string): Journal | undefined {
    const journal = this.get(name);
    return journal && journal.kind !== 'observe' ? journal : undefined;
  }

  /** The names of the pods that have an operation journaled (one query for a whole list). */
  names(): Set<string> {
    const rows = this.sql.exec<{ name: string }>('SELECT name FROM operations').toArray();
    return new Set(rows.map((r) => r.name));
  }

  /** The status overlay of the pod's running operation, if any. */
  describe(name: string): Overlay | undefined {
    const journal = this.get(name);
    return journal && overlayOf(journal, this.host.row(name)?.pod.spec);
  }

  /**
   * Journals `journal` for `name`, to run at `at` (ms since epoch), unless a journal that
   * outranks it is there (see `PRECEDENCE`): then nothing changes and the answer is false.
   * Synchronous, so a caller can journal and commit the pod in one step; `arm` afterwards.
   */
  journal(name: string, journal: Journal, at: number): boolean {
    if (!mayReplace(this.get(name), journal)) return false;
    this.sql.exec(
      `INSERT INTO operations (name, kind, journal, next_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, journal = excluded.journal, next_at = excluded.next_at`,
      name,
      journal.kind,
      JSON.stringify(journal),
      at,
    );
    return true;
  }

  /** `journal`, then points the alarm at the earliest step. */
  async schedule(name: string, journal: Journal, at: number): Promise<boolean> {
    const journaled = this.journal(name, journal, at);
    await this.arm();
    return journaled;
  }

  forget(name: string): void {
    this.sql.exec('DELETE FROM operations WHERE name = ?', name);
  }

  /** Follows a pod through a JD transition so watchers see each phase. */
  async watchTransition(name: string): Promise<void> {
    await this.schedule(name, { kind: 'observe', attempts: 0 }, Date.now() + this.host.pollMs());
  }

  /**
   * Journals `journal` and runs its first step now (inline with a request); the rest goes to
   * alarms. Nothing runs when a journal that outranks it is there.
   */
  async runNow(name: string, journal: Journal): Promise<void> {
    // Journaled first so the work survives eviction; due after one poll, so an alarm firing
    // while this step awaits JD Cloud finds nothing due for it.
    if (!(await this.schedule(name, journal, Date.now() + this.host.pollMs()))) return;
    await this.runOne(name, journal);
    await this.arm();
  }

  /**
   * Starts an image rollout of `name`, or lets the running one pick up the newer images: it
   * reads the desired spec at every step, so nothing is queued twice (latest wins). A rollout
   * that failed and is restoring the previous images turns back towards the new ones. Every
   * step runs from the alarm, the first one poll after the request (so quick successive image
   * changes make one rollout): the request that asked for it does not wait for JD Cloud.
   * Returns the rollout's journal as it now stands, or undefined when a delete outranks it.
   * Synchronous (the caller commits the new spec in the same step); the caller arms the alarm.
   */
  startRollout(name: string): RolloutJournal | undefined {
    const running = this.get(name);
    if (running?.kind !== 'rollout') {
      const journal = newRollout();
      return this.journal(name, journal, Date.now() + this.host.pollMs()) ? journal : undefined;
    }
    if (!running.failed) return running;
    const { failed: _, lastError: __, ...rest } = running;
    const journal: RolloutJournal = { ...rest, stage: 'queued', attempts: 0 };
    this.journal(name, journal, Date.now());
    return journal;
  }

  /**
   * Runs the steps that are due; called by the alarm. The alarm was set for the earliest step,
   * so that one counts as due even when the alarm is run early (tests run it on demand).
   */
  async runDue(now = Date.now()): Promise<void> {
    const earliest = this.sql
      .exec<{ at: number | null }>('SELECT MIN(next_at) AS at FROM operations')
      .toArray()[0]?.at;
    const due = this.sql
      .exec<{ name: string; journal: string }>(
        'SELECT name, journal FROM operations WHERE next_at <= ? ORDER BY next_at',
        Math.max(now, earliest ?? now),
      )
      .toArray();
    try {
      for (const { name, journal } of due) {
        try {
          await this.runOne(name, JSON.parse(journal) as Journal);
        } catch (error) {
          // A step that throws (a bug, not a JD failure: those are caught in the step) is tried
          // again later; it must not stop the steps behind it, nor leave the alarm unarmed.
          console.error(`operation step for pod ${name} failed: ${describeError(error)}`);
          this.sql.exec(
            'UPDATE operations SET next_at = ? WHERE name = ?',
            Date.now() + backoff(6, this.host.pollMs()),
            name,
          );
        }
      }
    } finally {
      await this.arm();
    }
  }

  private async runOne(name: string, journal: Journal): Promise<void> {
    // A rollout's calls are not idempotent (a second stopPod is refused): one step at a time.
    // Other steps only read or retry safely, and a stuck read must not hold up the next alarm.
    const exclusive = journal.kind === 'rollout';
    if (exclusive && this.stepping.has(name)) return;
    if (exclusive) this.stepping.add(name);
    let result: StepResult;
    try {
      result = await this.step(name, journal);
    } finally {
      if (exclusive) this.stepping.delete(name);
    }
    // A request may have replaced the journal while the step awaited JD Cloud: keep the newer.
    const current = this.get(name);
    if (!current || JSON.stringify(current) !== JSON.stringify(journal)) return;
    if ('done' in result) this.forget(name);
    else {
      this.sql.exec(
        'UPDATE operations SET kind = ?, journal = ?, next_at = ? WHERE name = ?',
        (result.journal ?? journal).kind,
        JSON.stringify(result.journal ?? journal),
        result.at,
        name,
      );
    }
  }

  private async step(name: string, journal: Journal): Promise<StepResult> {
    if (journal.kind === 'rollout') return stepRollout(this.host, name, journal);
    const row = this.host.row(name);
    if (!row) return { done: true };
    try {
      switch (journal.kind) {
        case 'create':
          return await this.create(row, journal);
        case 'delete':
          return await this.delete(row);
        case 'observe':
          return await this.follow(row);
      }
    } catch (error) {
      const transient = isRetryable(error);
      const attempts = journal.attempts + 1;
      const lastError = describeError(error);
      if (journal.kind === 'create' && !transient) {
        this.failCreate(row, lastError);
        return { done: true };
      }
      return {
        at: Date.now() + backoff(attempts, this.host.pollMs()),
        journal: { ...journal, attempts, lastError },
      };
    }
  }

  private async create(
    row: PodRow,
    journal: Extract<Journal, { kind: 'create' }>,
  ): Promise<StepResult> {
    const { regionId } = this.host.settings();
    this.creating.add(row.name);
    let podId: string;
    try {
      podId = await this.host
        .actionJd()
        .createPod(regionId, row.name, journal.jdSpec, journal.clientToken);
    } finally {
      this.creating.delete(row.name);
    }
    // The pod as it is now (a label PATCH may have landed during the call), with JD's id.
    this.host.update(row.name, (now) =>
      now.uid === row.uid ? { type: 'MODIFIED', pod: now.pod, jdPodId: podId } : undefined,
    );
    return { at: Date.now() + this.host.pollMs(), journal: { kind: 'observe', attempts: 0 } };
  }

  /** A create JD Cloud refused for good: the pod stays, Failed, saying why, until deleted. */
  private failCreate(row: PodRow, message: string): void {
    this.host.update(row.name, (now) =>
      now.uid === row.uid && !now.jdPodId
        ? {
            type: 'MODIFIED',
            pod: {
              ...now.pod,
              status: {
                ...now.pod.status,
                phase: 'Failed',
                reason: 'ProviderCreateFailed',
                message,
              },
            },
          }
        : undefined,
    );
  }

  private async delete(row: PodRow): Promise<StepResult> {
    const { regionId } = this.host.settings();
    const jd = this.host.actionJd();
    if (!row.jdPodId) return this.deleteUncreated(row);
    const jdPod = await jd.describePodOrGone(regionId, row.jdPodId, row.name);
    if (!jdPod) {
      this.host.observe(row.name, row.jdPodId, undefined);
      return { done: true };
    }
    // deletePod is accepted only in a steady phase; in a transition, wait for it to settle.
    const accepted = DELETABLE.has(jdPod.podStatus?.phase ?? '');
    if (accepted) await jd.deletePod(regionId, row.jdPodId, row.name);
    this.host.observe(
      row.name,
      row.jdPodId,
      accepted ? { ...jdPod, podStatus: { ...jdPod.podStatus, phase: 'deleting' } } : jdPod,
    );
    return { at: Date.now() + this.host.pollMs() };
  }

  /**
   * Deletes a pod whose createPods answer never arrived. JD Cloud may have acted on a call
   * whose answer was lost, so the pod is looked up by its JD name (and uid tag) before it is
   * forgotten: a found one is deleted like any other, never left running and billing. While a
   * createPods call is in flight in this object, the delete waits for its answer.
   */
  private async deleteUncreated(row: PodRow): Promise<StepResult> {
    if (this.creating.has(row.name)) return { at: Date.now() + this.host.pollMs() };
    const { regionId } = this.host.settings();
    const found = await this.host
      .actionJd()
      .findPodByName(regionId, this.host.namespace(), row.name);
    const ours =
      found?.name !== undefined && identityFromTags(found.name, found.tags)?.uid === row.uid;
    if (found && ours) {
      this.host.update(row.name, (now) =>
        now.uid === row.uid && !now.jdPodId
          ? { type: 'MODIFIED', pod: now.pod, jdPodId: found.podId }
          : undefined,
      );
      return { at: Date.now() };
    }
    if (this.creating.has(row.name)) return { at: Date.now() + this.host.pollMs() };
    this.host.update(row.name, (now) =>
      now.uid === row.uid && !now.jdPodId ? { type: 'DELETED', pod: now.pod } : undefined,
    );
    return { done: true };
  }

  private async follow(row: PodRow): Promise<StepResult> {
    if (!row.jdPodId) return { done: true };
    const jdPod = await this.host
      .actionJd()
      .describePodOrGone(this.host.settings().regionId, row.jdPodId, row.name);
    this.host.observe(row.name, row.jdPodId, jdPod);
    if (!jdPod) return { done: true };
    return TRANSITIONAL.has(jdPod.podStatus?.phase ?? '')
      ? { at: Date.now() + this.host.pollMs() }
      : { done: true };
  }

  /** Points the alarm at the earliest due step or sync (or clears it); see `alarmAt`. */
  async arm(): Promise<void> {
    const step = this.sql
      .exec<{ at: number | null }>('SELECT MIN(next_at) AS at FROM operations')
      .toArray()[0]?.at;
    const sync = this.host.nextSyncAt();
    const next =
      step === null || step === undefined ? sync : sync === null ? step : Math.min(step, sync);
    const at = alarmAt(next, Date.now());
    if (at === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(at);
  }
}
