/**
 * Kubernetes Events as podgate serves them: the core/v1 Event it stores, its events.k8s.io/v1
 * form, the fields a field selector may name, and the server-side Table of `kubectl get events`
 * (`printEvent` of k8s.io/kubernetes/pkg/printers/internalversion).
 */
import { ageOf } from './human-duration';
import { type Matcher, parseFieldTerms, parseLabelSelector } from './selectors';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind: string;
  apiVersion: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** A core/v1 Event. */
export interface CoreEvent {
  kind: 'Event';
  apiVersion: 'v1';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
  };
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: EventType;
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** Who reports podgate's events (`source.component`, `reportingController`). */
export const REPORTER = 'podgate';

/** The fields of a core/v1 Event a field selector may name (the apiserver's `EventToSelectableFields`). */
export function eventFieldSet(event: CoreEvent): Record<string, string> {
  const o = event.involvedObject;
  return {
    'metadata.name': event.metadata.name,
    'metadata.namespace': event.metadata.namespace,
    'involvedObject.kind': o.kind,
    'involvedObject.namespace': o.namespace,
    'involvedObject.name': o.name,
    'involvedObject.uid': o.uid,
    'involvedObject.apiVersion': o.apiVersion,
    'involvedObject.resourceVersion': o.resourceVersion ?? '',
    'involvedObject.fieldPath': o.fieldPath ?? '',
    reason: event.reason,
    reportingComponent: event.reportingComponent,
    source: event.source.component,
    type: event.type,
  };
}

/** events.k8s.io/v1 field names, as the apiserver converts them to the core ones. */
const V1_FIELD_ALIASES: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  'deprecatedSource.component': 'source',
};

/**
 * Parses an Event field selector (`involvedObject.name=web,involvedObject.uid=…`), the core names
 * or the events.k8s.io/v1 ones (`regarding.name`).
 *
 * @throws StatusError 400 `field label not supported: <label>`, or the parser's message.
 */
export function parseEventFieldSelector(text: string): Matcher<CoreEvent> {
  const sample = eventFieldSet({
    metadata: {},
    involvedObject: {},
    source: {},
  } as unknown as CoreEvent);
  return parseFieldTerms(
    text,
    (key) => {
      const label = V1_FIELD_ALIASES[key] ?? key;
      return label in sample ? label : undefined;
    },
    eventFieldSet,
  );
}

/** A predicate for events matching both selectors (events carry no labels). */
export function eventMatcher(selectors: {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}): (event: CoreEvent) => boolean {
  const labels = selectors.labelSelector ? parseLabelSelector(selectors.labelSelector) : undefined;
  const fields = selectors.fieldSelector
    ? parseEventFieldSelector(selectors.fieldSelector)
    : undefined;
  return (event) => (!labels || labels({})) && (!fields || fields(event));
}

/** RFC 3339 with microseconds (`MicroTime`), as events.k8s.io's `eventTime` is written. */
const microTime = (time: string) => time.replace(/Z$/, '.000000Z');

/** The events.k8s.io/v1 form of a stored core/v1 Event (the apiserver's conversion). */
export function toEventsV1(event: CoreEvent) {
  const { involvedObject, source, firstTimestamp, lastTimestamp, count } = event;
  return {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: event.metadata,
    eventTime: microTime(firstTimestamp),
    ...(count > 1 ? { series: { count, lastObservedTime: microTime(lastTimestamp) } } : {}),
    reportingController: event.reportingComponent,
    reportingInstance: event.reportingInstance,
    action: event.reason,
    reason: event.reason,
    regarding: involvedObject,
    note: event.message,
    type: event.type,
    deprecatedSource: source,
    deprecatedFirstTimestamp: firstTimestamp,
    deprecatedLastTimestamp: lastTimestamp,
    deprecatedCount: count,
  };
}

export type EventsV1 = ReturnType<typeof toEventsV1>;

const column = (name: string, description: string, priority = 0, format = '') => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

/** `eventColumnDefinitions`. */
export const EVENT_COLUMNS = [
  column('Last Seen', 'Deprecated field assuring backward compatibility with core.v1 Event type'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
  column('Reason', 'Why the action was taken. It is human-readable.'),
  column('Object', 'The object this Event is about.'),
  column('Subobject', 'The field of the object this Event is about.', 1),
  column('Source', 'The component reporting this event.', 1),
  column('Message', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'The time at which the event was first recorded.', 1),
  column('Count', 'The number of times this event has occurred.', 1),
  column('Name', 'Name must be unique within a namespace.', 1, 'name'),
];

/** One Table row for an event: the ten cells of `printEvent` (wide), and its metadata. */
export function printEventRow(event: CoreEvent, now: Date) {
  const o = event.involvedObject;
  return {
    cells: [
      ageOf(event.lastTimestamp, now),
      event.type,
      event.reason,
      `${o.kind.toLowerCase()}/${o.name}`,
      o.fieldPath ?? '',
      source(event),
      event.message.trim(),
      ageOf(event.firstTimestamp, now),
      event.count,
      event.metadata.name,
    ],
    object: {
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: event.metadata,
    },
  };
}

const source = (event: CoreEvent) =>
  event.source.host ? `${event.source.component}, ${event.source.host}` : event.source.component;

/** A `meta.k8s.io/v1` Table of events (list, get, each watch event). */
export function eventTable(
  events: CoreEvent[],
  options: { now: Date; resourceVersion?: string; continue?: string; noHeaders?: boolean },
) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}),
      ...(options.continue ? { continue: options.continue } : {}),
    },
    columnDefinitions: options.noHeaders ? null : EVENT_COLUMNS,
    rows: events.map((event) => printEventRow(event, options.now)),
  };
}
