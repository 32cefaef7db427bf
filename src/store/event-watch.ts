/**
 * A watch over a namespace's Events, opened in its Durable Object and returned over RPC as a
 * byte stream, like the pod watch (watch-stream.ts): it starts with the kept events as ADDED (no
 * resourceVersion, or "0") or with the events written after the given version, then relays each
 * event as it is recorded, pushed from the commit that recorded it. Events that expire are not
 * sent as DELETED. An event's selectable fields never change, so a filtered watch only drops.
 */
import { type CoreEvent, eventMatcher, eventTable, toEventsV1 } from '../k8s/event';
import type { EventChange } from './events';
import { openStream, type WatchRequest } from './watch-stream';
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
  const encoder = eventEncoder(request);
  const matches = eventMatcher(request);
  return openStream(
    {
      watchers: source.eventWatchers,
      current() {
        const { rv, events } = source.eventSnapshot();
        const changes = events.map((object) => ({
          rv,
          type: 'ADDED' as const,
          name: object.metadata.name,
          object,
        }));
        return { rv, changes };
      },
      after: (rv) => source.eventChangesAfter(rv),
      line: (change) => (matches(change.object) ? encoder.event(change) : undefined),
      bookmark: (rv, end) => encoder.bookmark(rv, end),
      error: (status) => `${JSON.stringify({ type: 'ERROR', object: status })}\n`,
    },
    request,
  );
}
