/**
 * A watch over a namespace's Events, opened in its Durable Object and returned over RPC as a
 * byte stream, like the pod watch (watch-stream.ts): it starts with the kept events as ADDED (no
 * resourceVersion, or "0") or with the events written after the given version, then relays each
 * event as it is recorded, pushed from the commit that recorded it. Events that expire are not
 * sent as DELETED. An event's selectable fields never change, so a filtered watch only drops.
 */
import { type CoreEvent, eventMatcher, eventTable, toEventsV1 } from '../k8s/event';
import type { EventChange } from './events';
import {
  BOOKMARK_INTERVAL_MS,
  MAX_WATCH_BUFFER,
  startsWithState,
  type WatchRequest,
} from './watch-stream';
import type { Watchers } from './watchers';

export interface EventWatchRequest extends WatchRequest {
  /** Which API the events are written in. */
  group: 'core' | 'events.k8s.io';
}

export interface EventWatchSource {
  readonly eventWatchers: Watchers<EventChange>;
  /** Kept events written after `rv`. */
  eventChangesAfter(rv: number): EventChange[];
  /** The kept events and the namespace resourceVersion. */
  eventSnapshot(): { rv: number; events: CoreEvent[] };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Writes event lines: the object in the watched API's form, or a one-row Table (`get -w`). */
function eventEncoder(request: EventWatchRequest) {
  let headersSent = false;
  const kind = request.group === 'core' ? { kind: 'Event', apiVersion: 'v1' } : undefined;
  const line = (type: string, object: unknown) => `${JSON.stringify({ type, object })}\n`;
  return {
    event(change: Pick<EventChange, 'type' | 'object'>): string {
      const event = change.object;
      if (request.table) {
        const table = eventTable([event], {
          now: new Date(),
          resourceVersion: event.metadata.resourceVersion,
          noHeaders: headersSent,
        });
        headersSent = true;
        return line(change.type, table);
      }
      return line(change.type, kind ? event : toEventsV1(event));
    },
    bookmark(resourceVersion: string, initialEventsEnd = false): string {
      const metadata = initialEventsEnd
        ? { resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } }
        : { resourceVersion };
      const apiVersion = request.group === 'core' ? 'v1' : 'events.k8s.io/v1';
      return line('BOOKMARK', { kind: 'Event', apiVersion, metadata });
    },
  };
}

/** Opens the stream (429 when `request.caller` holds `request.maxWatches` watches already). */
export function openEventWatch(
  source: EventWatchSource,
  request: EventWatchRequest,
): ReadableStream<Uint8Array> {
  const watchers = source.eventWatchers;
  const release =
    request.caller !== undefined
      ? watchers.admit(request.caller, request.maxWatches ?? Number.POSITIVE_INFINITY)
      : () => {};
  const encoder = eventEncoder(request);
  const matches = eventMatcher(request);
  const bytes = new TextEncoder();
  const queued: EventChange[] = [];
  const deadline = Date.now() + request.timeoutSeconds * 1000;
  let nextBookmark = Date.now() + BOOKMARK_INTERVAL_MS;
  let reached = 0;
  let unsubscribe = () => {};
  let ended = false;
  let cancelled = false;
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
  const lines = (changes: EventChange[]) =>
    changes.flatMap((change) => {
      reached = Math.max(reached, change.rv);
      return matches(change.object) ? [encoder.event(change)] : [];
    });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(bytes.encode(text));
      if (startsWithState(request)) {
        const { rv, events } = source.eventSnapshot();
        const added = events.map((object) => ({
          rv,
          type: 'ADDED' as const,
          name: object.metadata.name,
          object,
        }));
        for (const text of lines(added)) send(text);
        reached = rv;
        if (request.sendInitialEvents) send(encoder.bookmark(String(rv), true));
      } else if (!request.resourceVersion || request.resourceVersion === '0') {
        reached = source.eventSnapshot().rv;
      } else {
        reached = Number(request.resourceVersion);
        for (const text of lines(source.eventChangesAfter(reached))) send(text);
      }
      // In the same synchronous step as the history: no event falls in between.
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
      cancelled = true;
      stop();
    },
  });
}
