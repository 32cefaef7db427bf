import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JdPod } from '../jdcloud/models';
import { DORMANT_AFTER_MS, Reconciler, type SyncHost } from './sync';

const POLL = 2_000;
const IDLE = 60_000;

/** A namespace as the reconciler sees it; `calls` counts what it asked of JD Cloud. */
function namespace(overrides: Partial<SyncHost> = {}) {
  const state = { syncedAt: 0, working: false, watched: false, changedAt: Date.now(), pods: 20 };
  const calls = { list: 0, refresh: 0 };
  let release: (() => void) | undefined;
  let failWith: Error | undefined;
  const host: SyncHost = {
    listJdPods: async () => {
      calls.list++;
      if (release === undefined) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      if (failWith) throw failWith;
      return [] as JdPod[];
    },
    foldListing: () => [],
    confirmUnlisted: async () => {},
    refreshPod: async () => {
      calls.refresh++;
    },
    podCount: () => state.pods,
    jdPodIdOf: () => 'pod-1',
    syncedAt: () => state.syncedAt,
    setSyncedAt: (at) => {
      state.syncedAt = at;
    },
    working: () => state.working,
    watched: () => state.watched,
    changedAt: () => state.changedAt,
    pollMs: () => POLL,
    idleSyncMs: () => IDLE,
    ...overrides,
  };
  return {
    state,
    calls,
    reconciler: new Reconciler(host),
    /** Lets JD answer the listing (and every one after it at once). */
    answer(error?: Error) {
      failWith = error;
      if (release) release();
      else release = () => {};
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
});
afterEach(() => vi.useRealTimers());

describe('reads', () => {
  it('share one sync however many read a stale namespace, and make none while fresh', async () => {
    const ns = namespace();
    const reads = Array.from({ length: 50 }, () => ns.reconciler.fresh(POLL));
    ns.answer();
    expect(await Promise.all(reads)).toEqual(Array(50).fill([]));
    expect(ns.calls.list).toBe(1);
    vi.advanceTimersByTime(POLL);
    await ns.reconciler.fresh(POLL);
    await ns.reconciler.freshPod('web', POLL);
    expect(ns.calls.list).toBe(1);
  });

  it('refresh a GET through the namespace while it fits one page, else by describePod', async () => {
    const small = namespace();
    small.answer();
    await small.reconciler.freshPod('web', POLL);
    expect(small.calls).toEqual({ list: 1, refresh: 0 });
    const large = namespace();
    large.state.pods = 101;
    await Promise.all([
      large.reconciler.freshPod('web', POLL),
      large.reconciler.freshPod('web', POLL),
    ]);
    expect(large.calls).toEqual({ list: 0, refresh: 1 });
  });

  it('after a failed sync, serve storage with a warning and no JD call until the backoff ends', async () => {
    const ns = namespace();
    ns.answer(new Error('JD is down'));
    const [warning] = await ns.reconciler.fresh(POLL);
    expect(warning).toMatch(/could not refresh from JD Cloud \(JD is down\)/);
    expect(await ns.reconciler.fresh(POLL)).toEqual([warning]);
    expect(ns.calls.list).toBe(1);
    vi.advanceTimersByTime(2 * POLL);
    ns.answer();
    expect(await ns.reconciler.fresh(POLL)).toEqual([]);
    expect(ns.calls.list).toBe(2);
  });
});

describe('the sync cadence', () => {
  const now = () => Date.now();

  it('is the poll interval while a pod is in transition', () => {
    const ns = namespace();
    ns.state.working = true;
    ns.state.syncedAt = now();
    expect(ns.reconciler.nextSyncAt()).toBe(now() + POLL);
  });

  it('is the poll interval for a watched namespace that changed within the idle interval', () => {
    const ns = namespace();
    vi.advanceTimersByTime(IDLE);
    ns.state.watched = true;
    ns.state.changedAt = now() - IDLE + 1;
    ns.state.syncedAt = now();
    expect(ns.reconciler.nextSyncAt()).toBe(now() + POLL);
  });

  it('is the idle interval for a watched namespace stable that long: no call before it', () => {
    const ns = namespace();
    vi.advanceTimersByTime(IDLE);
    ns.state.watched = true;
    ns.state.changedAt = now() - IDLE;
    ns.state.syncedAt = now();
    expect(ns.reconciler.nextSyncAt()).toBe(now() + IDLE);
  });

  it('is the poll interval for a minute after a read, the idle interval for ten, then none', () => {
    const ns = namespace();
    ns.answer();
    ns.state.syncedAt = now();
    ns.reconciler.touch();
    vi.advanceTimersByTime(IDLE - 1);
    expect(ns.reconciler.nextSyncAt()).toBe(ns.state.syncedAt + POLL);
    vi.advanceTimersByTime(1);
    expect(ns.reconciler.nextSyncAt()).toBe(ns.state.syncedAt + IDLE);
    vi.advanceTimersByTime(DORMANT_AFTER_MS - IDLE);
    expect(ns.reconciler.nextSyncAt()).toBeNull();
  });

  it('waits out the backoff of a failed sync', async () => {
    const ns = namespace();
    ns.state.working = true;
    ns.answer(new Error('429'));
    await ns.reconciler.sync();
    expect(ns.reconciler.nextSyncAt()).toBe(now() + 2 * POLL);
    await ns.reconciler.sync();
    expect(ns.reconciler.nextSyncAt()).toBe(now() + 4 * POLL);
  });
});
