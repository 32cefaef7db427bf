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
 * How often the stream looks for new events. Events are committed by other requests, and
 * workerd lets a request touch only its own I/O objects: the store's listener therefore only
 * queues events in memory, and the stream (in the watch request's own context) drains them.
 */
const DRAIN_INTERVAL_MS = 25;

/** True when the watch starts with the current state rather than after a version. */
export const startsWithState = (
  request: Pick<WatchRequest, 'resourceVersion' | 'sendInitialEvents'>,
) => request.sendInitialEvents ?? (!request.resourceVersion || request.resourceVersion === '0');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function openWatch(source: WatchSource, request: WatchRequest): ReadableStream<Uint8Array> {
  const encoder = new WatchEncoder(request.table);
  const filter = new SelectionFilter(selectorMatcher(request));
  const bytes = new TextEncoder();
  const queued: StoredEvent[] = [];
  const deadline = Date.now() + request.timeoutSeconds * 1000;
  let nextBookmark = Date.now() + BOOKMARK_INTERVAL_MS;
  let reached = 0;
  let unsubscribe = () => {};

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
        if (!(error instanceof StatusError)) throw error;
        send(encoder.error(error.status));
        controller.close();
        return;
      }
      // Taken in the same synchronous step as the history: no event falls in between.
      unsubscribe = source.watchers.subscribe((event) => {
        queued.push(event);
      });
    },
    async pull(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      for (;;) {
        const ready = lines(queued.splice(0));
        if (ready.length) {
          for (const text of ready) send(text);
          return;
        }
        const now = Date.now();
        if (now >= deadline) {
          if (request.allowWatchBookmarks) send(encoder.bookmark(String(reached)));
          unsubscribe();
          controller.close();
          return;
        }
        if (request.allowWatchBookmarks && now >= nextBookmark) {
          nextBookmark = now + BOOKMARK_INTERVAL_MS;
          send(encoder.bookmark(String(reached)));
          return;
        }
        await sleep(Math.min(DRAIN_INTERVAL_MS, deadline - now));
      }
    },
    cancel() {
      unsubscribe();
    },
  });
}
