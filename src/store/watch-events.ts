/**
 * Pure pieces of a watch stream: which events a selective watch passes on (and as what type),
 * and how each event is written — one JSON object per line, the Pod itself or, for kubectl's
 * `get -w`, a one-row meta.k8s.io/v1 Table (column definitions on the first event only).
 */
import type { Pod } from '../k8s/pod';
import type { Status } from '../k8s/status';
import { podTable } from '../k8s/table';
import type { StoredEvent, WatchEventType } from './rows';

export type EventType = WatchEventType | 'BOOKMARK' | 'ERROR';

/**
 * Tracks which pods a selective watch has shown, so that a change in or out of the selection is
 * reported as the apiserver does: a pod that starts to match is ADDED, one that stops matching
 * is DELETED. A pod first seen in a MODIFIED event counts as shown before iff it matches now
 * (podgate's history keeps no previous object to ask).
 */
export class SelectionFilter {
  private readonly shown = new Map<string, boolean>();

  constructor(private readonly matches: (pod: Pod) => boolean) {}

  /** The event type to send for `event`, or undefined to send nothing. */
  typeFor(event: Pick<StoredEvent, 'type' | 'name' | 'object'>): WatchEventType | undefined {
    const now = this.matches(event.object);
    const before = this.shown.get(event.name) ?? (event.type === 'ADDED' ? false : now);
    this.shown.set(event.name, event.type !== 'DELETED' && now);
    if (event.type === 'DELETED') return before ? 'DELETED' : undefined;
    if (now && before) return event.type;
    if (now) return 'ADDED';
    return before ? 'DELETED' : undefined;
  }
}

/** Writes events as newline-delimited JSON, in Pod or Table form. */
export class WatchEncoder {
  private headersSent = false;

  constructor(
    private readonly table: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  event(type: WatchEventType, pod: Pod): string {
    const object = { ...pod, kind: 'Pod', apiVersion: 'v1' };
    if (!this.table) return line(type, object);
    const table = podTable([object], {
      now: this.now(),
      ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
      noHeaders: this.headersSent,
    });
    this.headersSent = true;
    return line(type, table);
  }

  /**
   * A BOOKMARK: only kind, apiVersion and the resourceVersion the watch has reached;
   * `initialEventsEnd` marks the end of a watch-list's initial events, as client-go waits for.
   */
  bookmark(resourceVersion: string, initialEventsEnd = false): string {
    const metadata = initialEventsEnd
      ? { resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } }
      : { resourceVersion };
    return line('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata });
  }

  error(status: Status): string {
    return line('ERROR', status);
  }
}

const line = (type: EventType, object: unknown) => `${JSON.stringify({ type, object })}\n`;
