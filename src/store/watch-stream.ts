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

/** True when the watch starts with the current state rather than after a version. */
export const startsWithState = (request: Pick<WatchRequest, 'resourceVersion'>) =>
  !request.resourceVersion || request.resourceVersion === '0';

export function openWatch(source: WatchSource, request: WatchRequest): ReadableStream<Uint8Array> {
  const encoder = new WatchEncoder(request.table);
  const filter = new SelectionFilter(selectorMatcher(request));
  const bytes = new TextEncoder();
  let reached = 0;
  const cleanups: (() => void)[] = [];
  const cleanup = () => {
    for (const done of cleanups.splice(0)) done();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      const end = () => {
        cleanup();
        controller.close();
      };
      const relay = (event: StoredEvent) => {
        reached = Math.max(reached, event.rv);
        const type = filter.typeFor(event);
        if (type) send(encoder.event(type, event.object));
      };
      try {
        if (startsWithState(request)) {
          const { rv, pods } = source.snapshot();
          reached = rv;
          for (const pod of pods) {
            relay({ rv, type: 'ADDED', name: pod.metadata.name ?? '', object: pod });
          }
        } else {
          reached = Number(request.resourceVersion);
          for (const event of source.history(reached)) relay(event);
        }
      } catch (error) {
        if (!(error instanceof StatusError)) throw error;
        send(encoder.error(error.status));
        controller.close();
        return;
      }
      cleanups.push(
        source.watchers.subscribe((event) => {
          try {
            relay(event);
          } catch {
            // The reader went away between events: stop listening.
            cleanup();
          }
        }),
      );
      const bookmark = () => send(encoder.bookmark(String(reached)));
      if (request.allowWatchBookmarks) {
        const interval = setInterval(bookmark, BOOKMARK_INTERVAL_MS);
        cleanups.push(() => clearInterval(interval));
      }
      const timeout = setTimeout(() => {
        if (request.allowWatchBookmarks) bookmark();
        end();
      }, request.timeoutSeconds * 1000);
      cleanups.push(() => clearTimeout(timeout));
    },
    cancel() {
      cleanup();
    },
  });
}
