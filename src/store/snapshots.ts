/**
 * Lists at a resourceVersion, as the apiserver serves them from etcd's history: the `continue`
 * pages of a list come from the first page's snapshot, and `resourceVersionMatch=Exact` answers
 * the state at exactly that version.
 *
 * A namespace's recent states are remembered in memory (cheap: stored pods are frozen and shared,
 * so a state is an array of references). An older one is rebuilt from the watch history; past
 * the history the answer is 410 Expired, and a version the namespace has not reached is 504,
 * both as the apiserver answers them.
 */
import type { Pod } from '../k8s/pod';
import { badRequest, failure, gone, StatusError } from '../k8s/status';
import { type ListOptions, type Page, paginate, tokenVersion } from './list';
import type { StoredEvent } from './rows';

/** What a list at a version needs of storage (storage.ts). */
export interface VersionedSource {
  currentRv(): number;
  /** The oldest version the history still reaches. */
  oldestRv(): number;
  /** The namespace's pods at `rv`, or undefined once the history no longer reaches it. */
  podsAt(rv: number): readonly Pod[] | undefined;
}

/** How many recent states are kept, and for how long (etcd compacts every five minutes). */
const KEPT_STATES = 16;
const KEPT_MS = 5 * 60_000;

/** Recent states of a namespace by resourceVersion, bounded in number and age. */
export class RecentStates {
  private readonly states = new Map<number, { at: number; pods: readonly Pod[] }>();

  remember(rv: number, pods: readonly Pod[], now = Date.now()): void {
    if (this.states.has(rv)) return;
    this.states.set(rv, { at: now, pods });
    for (const [key, state] of this.states) {
      if (this.states.size <= KEPT_STATES && now - state.at <= KEPT_MS) break;
      this.states.delete(key);
    }
  }

  at(rv: number, now = Date.now()): readonly Pod[] | undefined {
    const state = this.states.get(rv);
    return state && now - state.at <= KEPT_MS ? state.pods : undefined;
  }
}

/**
 * The namespace's pods at `rv`, rebuilt from the current ones and the history: a pod no event
 * after `rv` touched is as it is now; a touched one is as its last event at or before `rv` left
 * it (absent if that was its deletion, or if its first event after `rv` added it). Undefined
 * when the history does not reach back that far.
 */
export function rebuildAt(
  current: readonly Pod[],
  after: readonly StoredEvent[],
  lastAtOrBefore: (name: string) => StoredEvent | undefined,
): Pod[] | undefined {
  const firstAfter = new Map<string, StoredEvent>();
  for (const event of after) if (!firstAfter.has(event.name)) firstAfter.set(event.name, event);
  const pods = current.filter((pod) => !firstAfter.has(pod.metadata.name as string));
  for (const [name, first] of firstAfter) {
    if (first.type === 'ADDED') continue;
    const before = lastAtOrBefore(name);
    if (!before) return undefined;
    if (before.type !== 'DELETED') pods.push(before.object);
  }
  return pods;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';

/** The apiserver's 504 for a version the namespace has not reached yet. */
function tooLarge(rv: number, current: number): StatusError {
  return new StatusError(
    failure(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${current}`, {
      retryAfterSeconds: 1,
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    }),
    { 'Retry-After': '1' },
  );
}

/** The version a list is served at (the apiserver's rules), or undefined for the newest. */
function exactVersion(options: ListOptions): number | undefined {
  if (options.continue) return tokenVersion(options.continue);
  const { resourceVersion, resourceVersionMatch, limit } = options;
  if (!resourceVersion || resourceVersion === '0') return undefined;
  // With no match given, a version and a limit ask for exactly that version (the legacy rule).
  const exact = resourceVersionMatch === 'Exact' || (!resourceVersionMatch && limit);
  return exact ? parseVersion(resourceVersion) : undefined;
}

function parseVersion(text: string): number {
  const rv = Number(text);
  if (!Number.isSafeInteger(rv) || rv < 0 || !/^\d+$/.test(text)) {
    throw badRequest(`invalid resource version "${text}"`);
  }
  return rv;
}

/**
 * One page of the namespace's pods matching `matches`: at the version `options` ask for
 * (a continue token's, or Exact), else the newest, which is then remembered for the pages and
 * Exact reads that follow.
 */
export function listAt(
  source: VersionedSource & { remember(rv: number, pods: readonly Pod[]): void },
  options: ListOptions,
  matches: (pod: Pod) => boolean,
): Page & { resourceVersion: string } {
  if (options.continue && options.resourceVersion && options.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  const current = source.currentRv();
  const wanted = exactVersion(options);
  if (wanted === undefined && options.resourceVersion && options.resourceVersion !== '0') {
    // Not older than the version given: the newest state is, unless it was never reached.
    const notOlderThan = parseVersion(options.resourceVersion);
    if (notOlderThan > current) throw tooLarge(notOlderThan, current);
  }
  const rv = wanted ?? current;
  if (rv > current) throw tooLarge(rv, current);
  const pods = source.podsAt(rv);
  if (!pods) {
    throw gone(
      options.continue
        ? CONTINUE_EXPIRED
        : `too old resource version: ${rv} (${source.oldestRv()})`,
    );
  }
  if (rv === current) source.remember(rv, pods);
  return paginate(pods.filter(matches), options, String(rv));
}
