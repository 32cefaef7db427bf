import { describe, expect, it } from 'vitest';
import { dropNulls, jdPod } from './models';
import { encodeQuery, filterParams, tagParams } from './query';

describe('response models', () => {
  it('treats null as absent and keeps unknown fields', () => {
    const raw = {
      podId: 'pod-1',
      name: null,
      createTime: '2024-01-02T03:04:05Z',
      futureField: { nested: true },
      podStatus: {
        phase: 'running',
        podIP: null,
        conditions: [null, { conditionType: 'Ready', status: 'True' }],
      },
      containers: [
        {
          name: 'web',
          image: 'nginx',
          resources: null,
          containerStatus: {
            restartCount: 2,
            ready: false,
            state: { waiting: { reason: 'ContainerCreating', message: null } },
          },
        },
      ],
    };
    const pod = jdPod.parse(dropNulls(raw));
    expect(pod.name).toBeUndefined();
    expect('name' in pod).toBe(false);
    expect(pod.podStatus).toEqual({
      phase: 'running',
      conditions: [{ conditionType: 'Ready', status: 'True' }],
    });
    expect(pod.containers?.[0]?.containerStatus?.state?.waiting).toEqual({
      reason: 'ContainerCreating',
    });
    expect(pod.containers?.[0]?.resources).toBeUndefined();
    expect((pod as Record<string, unknown>).futureField).toEqual({ nested: true });
  });

  it('copies a "__proto__" key from JSON as nothing, never as a prototype', () => {
    const copy = dropNulls(JSON.parse('{"__proto__":{"polluted":true},"a":[1,null,{"b":null}]}'));
    expect(copy).toEqual({ a: [1, {}] });
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });

  it('still rejects wrong types and a missing podId', () => {
    expect(jdPod.safeParse({ podId: 'p', podStatus: { phase: 3 } }).success).toBe(false);
    expect(jdPod.safeParse(dropNulls({ podId: null })).success).toBe(false);
  });
});

describe('query encoding', () => {
  it('numbers filters from 1, drops empty ones and renumbers', () => {
    const pairs = filterParams([
      { name: 'podId', values: [] },
      { name: 'phase', values: ['running', 'error'] },
      { name: 'name', values: ['a b'], operator: 'like' },
    ]);
    expect(encodeQuery(pairs)).toBe(
      'filters.1.name=phase&filters.1.values.1=running&filters.1.values.2=error' +
        '&filters.2.name=name&filters.2.operator=like&filters.2.values.1=a%20b',
    );
  });

  it('encodes tags and leaves out undefined values', () => {
    expect(
      encodeQuery([
        ['pageNumber', undefined],
        ['pageSize', 100],
        ...tagParams([{ key: 'podgate/ns', values: ['a', "b'c"] }]),
      ]),
    ).toBe('pageSize=100&tags.1.key=podgate%2Fns&tags.1.values.1=a&tags.1.values.2=b%27c');
    expect(encodeQuery([])).toBe('');
  });
});
