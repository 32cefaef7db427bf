/**
 * One watch stream over a namespace's changes, opened inside the namespace's Durable Object and
 * returned to the Worker over RPC as a byte stream.
 *
 * It starts either with synthetic ADDED events for the current pods (no resourceVersion, or
 * "0") or with the recorded events after the given resourceVersion, then relays every event the
 * store commits. History and subscription are taken in one synchronous step, so no event falls
 * between them. A resourceVersion older than the history is an ERROR event (410 Expired), after
 * which the stream ends, as the apiserver's watch cache does.
 */
import type { Pod } from '../k8s/pod';
import { type Status, StatusError } from '../k8s/status';
import type { StoredEvent } from './rows';
import { selectorMatcher } from './selectors';
import { SelectionFilter, WatchEncoder } from './watch-events';
import type { Watchers } from './watchers';

export interface WatchRequest {
  /** Start after this version; absent or "0": start with the current pods. */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks: boolean;
  /** The stream ends after this long (with a final BOOKMARK when bookmarks are allowed). */
  timeoutSeconds: number;
  /** Encode each object as a one-row Table (kubectl `get -w`). */
  table: boolean;
  /**
   * Watch-list (`sendInitialEvents`): true starts with the current pods as ADDED events ended
   * by a BOOKMARK annotated `k8s.io/initial-events-end`; false sends no initial events.
   */
  sendInitialEvents?: boolean;
  /** Names the watch so the gateway can end it when its client disconnects (`Watchers.close`). */
  id?: string;
  /** Who watches (`via:name`), for the per-caller cap; absent: not counted. */
  caller?: string;
  /** The most watches `caller` may hold open on this namespace. */
  maxWatches?: number;
}

/** What a watch reads from the store. */
export interface WatchSource {
  readonly watchers: Watchers;
  /** Recorded events after `rv`; throws 410 Expired when `rv` is older than the history. */
  history(rv: number): StoredEvent[];
  /** The current pods and the namespace resourceVersion they are at. */
  snapshot(): { rv: number; pods: Pod[] };
}

/** How often an idle watch with bookmarks allowed is told how far it has got. */
export const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Events a watch may have waiting for its reader. A reader that falls this far behind is ended,
 * as the apiserver ends a watcher that cannot keep up; the client lists and watches again.
 */
export const MAX_WATCH_BUFFER = 1000;

/**
 * The longest single wait: timers take a 32-bit delay, and a longer one (a caller's huge
 * `timeoutSeconds`) would fire at once, again and again.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** True when the watch starts with the current state rather than after a version. */
export const startsWithState = (
  request: Pick<WatchRequest, 'resourceVersion' | 'sendInitialEvents'>,
) => request.sendInitialEvents ?? (!request.resourceVersion || request.resourceVersion === '0');

/**
 * One kind of object a watch streams (pods here; Events in event-watch.ts): where its changes
 * come from and how a change, a bookmark and an error are written.
 */
export interface WatchedKind<C extends { rv: number }> {
  readonly watchers: Watchers<C>;
  /** The current objects as ADDED changes, and the namespace resourceVersion they are at. */
  current(): { rv: number; changes: C[] };
  /** Changes after `rv`; throws a StatusError (410 Expired) when `rv` is older than the history. */
  after(rv: number): C[];
  /** The line for `change`, or undefined when this watch does not show it. */
  line(change: C): string | undefined;
  bookmark(resourceVersion: string, initialEventsEnd?: boolean): string;
  error(status: Status): string;
}

/** Opens a pod watch: the stream of `source`'s pods `request` selects (see {@link openStream}). */
export function openWatch(source: WatchSource, request: WatchRequest): ReadableStream<Uint8Array> {
  const encoder = new WatchEncoder(request.table);
  const filter = new SelectionFilter(selectorMatcher(request));
  return openStream(
    {
      watchers: source.watchers,
      current() {
        const { rv, pods } = source.snapshot();
        const changes = pods.map((pod) => ({
          rv,
          type: 'ADDED' as const,
          name: pod.metadata.name ?? '',
          object: pod,
        }));
        return { rv, changes };
      },
      after: (rv) => source.history(rv),
      line(event) {
        const type = filter.typeFor(event);
        return type && encoder.event(type, event.object);
      },
      bookmark: (rv, end) => encoder.bookmark(rv, end),
      error: (status) => encoder.error(status),
    },
    request,
  );
}

/**
 * Opens the stream. The store's listener runs in whichever request committed the change, and
 * workerd lets a request touch only its own I/O objects (streams, timers): so the listener only
 * queues the change and resolves the promise the stream is waiting on; the stream, in the watch
 * request's own context, then writes it. Nothing runs while nothing changes, except the one timer
 * for the next bookmark or the end of the watch.
 *
 * @throws StatusError 429 when `request.caller` already holds `request.maxWatches` watches.
 */
export function openStream<C extends { rv: number }>(
  kind: WatchedKind<C>,
  request: WatchRequest,
): ReadableStream<Uint8Array> {
  const { watchers } = kind;
  const release =
    request.caller !== undefined
      ? watchers.admit(request.caller, request.maxWatches ?? Number.POSITIVE_INFINITY)
      : () => {};
  const bytes = new TextEncoder();
  const queued: C[] = [];
  const deadline = Date.now() + request.timeoutSeconds * 1000;
  let nextBookmark = Date.now() + BOOKMARK_INTERVAL_MS;
  let reached = 0;
  let unsubscribe = () => {};
  /** Set when the reader fell too far behind or went away. */
  let ended = false;
  let cancelled = false;
  /** Resolves the pull that is waiting for something to happen. */
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const stop = () => {
    ended = true;
    unsubscribe();
    release();
    if (request.id !== undefined) watchers.forget(request.id);
    queued.length = 0;
    notify();
  };
  if (request.id !== undefined) watchers.track(request.id, stop);

  const lines = (changes: C[]) =>
    changes.flatMap((change) => {
      reached = Math.max(reached, change.rv);
      const line = kind.line(change);
      return line === undefined ? [] : [line];
    });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      try {
        if (startsWithState(request)) {
          const { rv, changes } = kind.current();
          reached = rv;
          for (const text of lines(changes)) send(text);
          if (request.sendInitialEvents) send(kind.bookmark(String(rv), true));
        } else if (!request.resourceVersion || request.resourceVersion === '0') {
          // sendInitialEvents=false without a version: from now on, nothing before.
          reached = kind.current().rv;
        } else {
          reached = Number(request.resourceVersion);
          for (const text of lines(kind.after(reached))) send(text);
        }
      } catch (error) {
        stop();
        if (!(error instanceof StatusError)) throw error;
        send(kind.error(error.status));
        controller.close();
        return;
      }
      // Taken in the same synchronous step as the history: no change falls in between.
      unsubscribe = watchers.subscribe((change) => {
        if (ended) return;
        if (queued.length >= MAX_WATCH_BUFFER) {
          ended = true;
          unsubscribe();
        } else queued.push(change);
        notify();
      });
    },
    async pull(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      for (;;) {
        if (ended) {
          stop();
          if (!cancelled) controller.close();
          return;
        }
        const ready = lines(queued.splice(0));
        if (ready.length) {
          for (const text of ready) send(text);
          return;
        }
        const now = Date.now();
        if (now >= deadline) {
          if (request.allowWatchBookmarks) send(kind.bookmark(String(reached)));
          stop();
          controller.close();
          return;
        }
        if (request.allowWatchBookmarks && now >= nextBookmark) {
          nextBookmark = now + BOOKMARK_INTERVAL_MS;
          send(kind.bookmark(String(reached)));
          return;
        }
        const due = request.allowWatchBookmarks ? Math.min(deadline, nextBookmark) : deadline;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, Math.min(MAX_TIMER_MS, Math.max(1, due - now)));
        });
        clearTimeout(timer);
        wake = undefined;
      }
    },
    cancel() {
      // The client went away: free the listener and the caller's watch slot now.
      cancelled = true;
      stop();
    },
  });
}
