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
import { StatusError } from '../k8s/status';
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
 * Opens the stream. The store's listener runs in whichever request committed the event, and
 * workerd lets a request touch only its own I/O objects (streams, timers): so the listener only
 * queues the event and resolves the promise the stream is waiting on; the stream, in the watch
 * request's own context, then writes it. Nothing runs while nothing changes, except the one timer
 * for the next bookmark or the end of the watch.
 *
 * @throws StatusError 429 when `request.caller` already holds `request.maxWatches` watches.
 */
export function openWatch(source: WatchSource, request: WatchRequest): ReadableStream<Uint8Array> {
  const release =
    request.caller !== undefined
      ? source.watchers.admit(request.caller, request.maxWatches ?? Number.POSITIVE_INFINITY)
      : () => {};
  const encoder = new WatchEncoder(request.table);
  const filter = new SelectionFilter(selectorMatcher(request));
  const bytes = new TextEncoder();
  const queued: StoredEvent[] = [];
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
    if (request.id !== undefined) source.watchers.forget(request.id);
    queued.length = 0;
    notify();
  };
  if (request.id !== undefined) source.watchers.track(request.id, stop);

  const lines = (events: StoredEvent[]) =>
    events.flatMap((event) => {
      reached = Math.max(reached, event.rv);
      const type = filter.typeFor(event);
      return type ? [encoder.event(type, event.object)] : [];
    });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      try {
        if (startsWithState(request)) {
          const { rv, pods } = source.snapshot();
          reached = rv;
          const added = pods.map((pod) => ({
            rv,
            type: 'ADDED' as const,
            name: pod.metadata.name ?? '',
            object: pod,
          }));
          for (const text of lines(added)) send(text);
          if (request.sendInitialEvents) send(encoder.bookmark(String(rv), true));
        } else if (!request.resourceVersion || request.resourceVersion === '0') {
          // sendInitialEvents=false without a version: from now on, nothing before.
          reached = source.snapshot().rv;
        } else {
          reached = Number(request.resourceVersion);
          for (const text of lines(source.history(reached))) send(text);
        }
      } catch (error) {
        stop();
        if (!(error instanceof StatusError)) throw error;
        send(encoder.error(error.status));
        controller.close();
        return;
      }
      // Taken in the same synchronous step as the history: no event falls in between.
      unsubscribe = source.watchers.subscribe((event) => {
        if (ended) return;
        if (queued.length >= MAX_WATCH_BUFFER) {
          ended = true;
          unsubscribe();
        } else queued.push(event);
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
          if (request.allowWatchBookmarks) send(encoder.bookmark(String(reached)));
          stop();
          controller.close();
          return;
        }
        if (request.allowWatchBookmarks && now >= nextBookmark) {
          nextBookmark = now + BOOKMARK_INTERVAL_MS;
          send(encoder.bookmark(String(reached)));
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
