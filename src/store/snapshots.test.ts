import { describe, expect, it } from 'vitest';
import { statusOf } from '../../test/support/status-of';
import type { Pod } from '../k8s/pod';
import { paginate } from './list';
import type { StoredEvent } from './rows';
import { listAt, RecentStates, rebuildAt, type VersionedSource } from './snapshots';

const pod = (name: string, rv: number, label = 'v'): Pod =>
  ({
    metadata: { name, namespace: 'ns', resourceVersion: String(rv), labels: { l: label } },
    spec: { containers: [] },
    status: {},
  }) as unknown as Pod;

const event = (type: StoredEvent['type'], object: Pod): StoredEvent => ({
  rv: Number(object.metadata.resourceVersion),
  type,
  name: object.metadata.name as string,
  object,
});

/**
 * A namespace's history as storage keeps it: `events` in order, the current pods derived from
 * them, and the history cut below `oldest`.
 */
function history(events: StoredEvent[], oldest = 0) {
  const state = (rv: number) => {
    const pods = new Map<string, Pod>();
    for (const e of events) {
      if (e.rv > rv) break;
      if (e.type === 'DELETED') pods.delete(e.name);
      else pods.set(e.name, e.object);
    }
    return [...pods.values()];
  };
  const current = events.at(-1)?.rv ?? 0;
  const kept = events.filter((e) => e.rv >= oldest);
  const recent = new RecentStates();
  const source: VersionedSource & { remember(rv: number, pods: readonly Pod[]): void } = {
    currentRv: () => current,
    oldestRv: () => (kept[0]?.rv ?? current + 1) - 1,
    remember: (rv, pods) => recent.remember(rv, pods),
    podsAt: (rv) =>
      rv === current
        ? state(current)
        : (recent.at(rv) ??
          (rv < source.oldestRv()
            ? undefined
            : rebuildAt(
                state(current),
                kept.filter((e) => e.rv > rv),
                (name) => kept.filter((e) => e.name === name && e.rv <= rv).at(-1),
              ))),
  };
  return { source, state };
}

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name).sort();
const all = () => true;

const EVENTS = [
  event('ADDED', pod('a', 1)),
  event('ADDED', pod('b', 2)),
  event('ADDED', pod('c', 3)),
  event('MODIFIED', pod('a', 4, 'w')),
  event('DELETED', pod('b', 5)),
  event('ADDED', pod('d', 6)),
  event('ADDED', pod('b', 7)),
];

describe('rebuildAt', () => {
  it('gives the state at every version the history reaches', () => {
    const { source, state } = history(EVENTS);
    for (let rv = 0; rv <= 7; rv++) {
      expect(source.podsAt(rv), `rv ${rv}`).toEqual(expect.arrayContaining(state(rv) as unknown[]));
      expect(names(source.podsAt(rv) ?? []), `rv ${rv}`).toEqual(names(state(rv)));
    }
  });

  it('is undefined when a touched pod has no event left at or before the version', () => {
    // a's ADDED (rv 1) is gone from the history; a was modified at 4, so a at 3 is unknown.
    const { source } = history(EVENTS, 2);
    expect(source.podsAt(3)).toBeUndefined();
    expect(names(source.podsAt(4) ?? [])).toEqual(['a', 'b', 'c']);
  });
});

describe('RecentStates', () => {
  it('keeps the newest sixteen states for five minutes', () => {
    const recent = new RecentStates();
    for (let rv = 1; rv <= 20; rv++) recent.remember(rv, [pod('x', rv)], 1000);
    expect(recent.at(4, 1000)).toBeUndefined();
    expect(recent.at(5, 1000)).toBeDefined();
    expect(recent.at(20, 1000 + 5 * 60_000)).toBeDefined();
    expect(recent.at(20, 1001 + 5 * 60_000)).toBeUndefined();
  });
});

describe('listAt', () => {
  it('serves every continue page from the first page’s snapshot', () => {
    const events = EVENTS.slice(0, 3);
    const { source } = history(events);
    const first = listAt(source, { limit: 2 }, all);
    expect(names(first.items)).toEqual(['a', 'b']);
    // Meanwhile a is modified, b deleted and aa, d added: the next page does not see them.
    const later = history([
      ...events,
      event('MODIFIED', pod('a', 4, 'w')),
      event('DELETED', pod('b', 5)),
      event('ADDED', pod('aa', 6)),
      event('ADDED', pod('d', 7)),
    ]);
    const next = listAt(later.source, { limit: 2, continue: first.continue as string }, all);
    expect(names(next.items)).toEqual(['c']);
    expect(next.resourceVersion).toBe('3');
    expect(next.continue).toBeUndefined();
  });

  it('answers 410 with the apiserver’s message once the snapshot is past the history', () => {
    const { source } = history(EVENTS);
    const first = listAt(source, { limit: 1 }, all);
    const token = first.continue as string;
    const pruned = history([...EVENTS, event('MODIFIED', pod('c', 8))], 8);
    expect(statusOf(() => listAt(pruned.source, { continue: token }, all))).toMatchObject({
      code: 410,
      reason: 'Expired',
      message: expect.stringMatching(/^The provided continue parameter is too old/),
    });
  });

  it('serves Exact at that version, and with a limit when no match is given', () => {
    const { source } = history(EVENTS);
    const exact = listAt(source, { resourceVersion: '3', resourceVersionMatch: 'Exact' }, all);
    expect(names(exact.items)).toEqual(['a', 'b', 'c']);
    expect(exact.resourceVersion).toBe('3');
    expect(exact.items.find((p) => p.metadata.name === 'a')?.metadata.resourceVersion).toBe('1');
    const legacy = listAt(source, { resourceVersion: '5', limit: 10 }, all);
    expect(names(legacy.items)).toEqual(['a', 'c']);
  });

  it('serves NotOlderThan from the newest state', () => {
    const { source } = history(EVENTS);
    const page = listAt(
      source,
      { resourceVersion: '3', resourceVersionMatch: 'NotOlderThan' },
      all,
    );
    expect(page.resourceVersion).toBe('7');
    expect(page).toEqual(paginate(source.podsAt(7) as Pod[], {}, '7'));
  });

  it('answers 504 for a version not reached and 410 for one past the history', () => {
    const { source } = history(EVENTS, 5);
    for (const resourceVersionMatch of ['Exact', 'NotOlderThan'] as const) {
      expect(
        statusOf(() => listAt(source, { resourceVersion: '8', resourceVersionMatch }, all)),
      ).toMatchObject({
        code: 504,
        reason: 'Timeout',
        message: 'Timeout: Too large resource version: 8, current: 7',
        details: { causes: [{ reason: 'ResourceVersionTooLarge' }], retryAfterSeconds: 1 },
      });
    }
    expect(
      statusOf(() => listAt(source, { resourceVersion: '2', resourceVersionMatch: 'Exact' }, all)),
    ).toMatchObject({ code: 410, reason: 'Expired', message: 'too old resource version: 2 (4)' });
  });

  it('refuses a version with continue, and a version that is not a number', () => {
    const { source } = history(EVENTS);
    const token = listAt(source, { limit: 1 }, all).continue as string;
    expect(
      statusOf(() => listAt(source, { continue: token, resourceVersion: '7' }, all)),
    ).toMatchObject({
      code: 400,
      message: 'specifying resource version is not allowed when using continue',
    });
    expect(
      statusOf(() => listAt(source, { resourceVersion: 'x', resourceVersionMatch: 'Exact' }, all)),
    ).toMatchObject({ code: 400, message: 'invalid resource version "x"' });
  });
});
