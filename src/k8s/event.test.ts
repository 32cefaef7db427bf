import { describe, expect, it } from 'vitest';
import { type CoreEvent, eventMatcher, eventTable, toEventsV1 } from './event';
import { StatusError } from './status';

const event = (overrides: Partial<CoreEvent> = {}): CoreEvent => ({
  kind: 'Event',
  apiVersion: 'v1',
  metadata: {
    name: 'web.1a',
    namespace: 'default',
    uid: 'e-1',
    resourceVersion: '26',
    creationTimestamp: '2024-01-01T00:00:00Z',
  },
  involvedObject: {
    kind: 'Pod',
    apiVersion: 'v1',
    namespace: 'default',
    name: 'web',
    uid: 'u-1',
    fieldPath: 'spec.containers{app}',
  },
  reason: 'Started',
  message: 'Started container app',
  source: { component: 'podgate', host: 'jdcloud-cn-north-1a' },
  firstTimestamp: '2024-01-01T00:00:00Z',
  lastTimestamp: '2024-01-01T00:04:00Z',
  count: 3,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'podgate',
  reportingInstance: 'jdcloud-cn-north-1a',
  ...overrides,
});

describe('event field selectors', () => {
  it('match what kubectl describe sends, and the other event fields', () => {
    const describe = eventMatcher({
      fieldSelector:
        'involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u-1',
    });
    expect(describe(event())).toBe(true);
    expect(describe(event({ involvedObject: { ...event().involvedObject, uid: 'u-2' } }))).toBe(
      false,
    );
    const m = (fieldSelector: string) => eventMatcher({ fieldSelector })(event());
    expect(m('type=Normal,reason=Started,source=podgate')).toBe(true);
    expect(m('type!=Normal')).toBe(false);
    expect(m('involvedObject.kind=Pod,involvedObject.fieldPath=spec.containers{app}')).toBe(true);
    expect(m('metadata.name=web.1a')).toBe(true);
    // events.k8s.io/v1 names
    expect(m('regarding.name=web,reportingController=podgate')).toBe(true);
    expect(m('regarding.name=other')).toBe(false);
  });

  it('refuse a field events do not index, naming it', () => {
    expect(() => eventMatcher({ fieldSelector: 'message=x' })).toThrow(StatusError);
    expect(() => eventMatcher({ fieldSelector: 'message=x' })).toThrow(
      'field label not supported: message',
    );
  });
});

describe('toEventsV1', () => {
  it('converts as the apiserver does, with a series for a repeated event', () => {
    expect(toEventsV1(event())).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      eventTime: '2024-01-01T00:00:00.000000Z',
      series: { count: 3, lastObservedTime: '2024-01-01T00:04:00.000000Z' },
      regarding: { kind: 'Pod', name: 'web' },
      note: 'Started container app',
      reportingController: 'podgate',
      deprecatedSource: { component: 'podgate' },
      deprecatedCount: 3,
    });
    expect(toEventsV1(event({ count: 1 }))).not.toHaveProperty('series');
  });
});

describe('eventTable', () => {
  it("prints printEvent's ten cells, the wide ones at priority 1", () => {
    const table = eventTable([event()], { now: new Date('2024-01-01T00:05:00Z') });
    expect(table.columnDefinitions?.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Message',
    ]);
    expect(table.rows[0]?.cells).toEqual([
      '60s',
      'Normal',
      'Started',
      'pod/web',
      'spec.containers{app}',
      'podgate, jdcloud-cn-north-1a',
      'Started container app',
      '5m',
      3,
      'web.1a',
    ]);
  });
});
