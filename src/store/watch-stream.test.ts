/**
 * The watch stream's costs (issue 17): idle streams run no timer work but the one for their end
 * or next bookmark, a commit wakes the stream at once, a reader that falls behind is ended, and a
 * client that goes away frees its listener and its slot in the caller's cap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../k8s/pod';
import { StatusError } from '../k8s/status';
import type { StoredEvent } from './rows';
import { MAX_WATCH_BUFFER, openWatch, type WatchRequest, type WatchSource } from './watch-stream';
import { Watchers } from './watchers';

const pod = (name: string, rv: number): Pod =>
  ({
    metadata: { name, namespace: 'default', resourceVersion: String(rv) },
    spec: { containers: [] },
    status: {},
  }) as unknown as Pod;

function source(): WatchSource & { watchers: Watchers; rv: number } {
  const watchers = new Watchers();
  return {
    watchers,
    rv: 1,
    history: () => [],
    snapshot: () => ({ rv: 1, pods: [] }),
  };
}

const request = (more: Partial<WatchRequest> = {}): WatchRequest => ({
  resourceVersion: '1',
  allowWatchBookmarks: false,
  timeoutSeconds: 3600,
  table: false,
  ...more,
});

const event = (rv: number): StoredEvent => ({
  rv,
  type: 'ADDED',
  name: `p${rv}`,
  object: pod(`p${rv}`, rv),
});

async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const { done, value } = await reader.read();
  return done ? undefined : (JSON.parse(new TextDecoder().decode(value)) as { type: string });
}

describe('openWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs no timer work while nothing changes, and wakes on a commit', async () => {
    const src = source();
    const reader = openWatch(src, request()).getReader();
    const pending = readLine(reader);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(10_000);
    // The old stream looked for events every 25 ms: 400 timers in these 10 s.
    expect(timeouts.mock.calls.length).toBeLessThanOrEqual(1);
    src.watchers.publish(event(2));
    expect(await pending).toMatchObject({ type: 'ADDED' });
    timeouts.mockRestore();
    await reader.cancel();
  });

  it('waits quietly on a huge timeoutSeconds instead of firing its timer at once', async () => {
    const src = source();
    const reader = openWatch(src, request({ timeoutSeconds: 1e12 })).getReader();
    const pending = readLine(reader);
    const timeouts = vi.spyOn(globalThis, 'setTimeout');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(timeouts.mock.calls.length).toBeLessThanOrEqual(1);
    timeouts.mockRestore();
    src.watchers.publish(event(2));
    expect(await pending).toMatchObject({ type: 'ADDED' });
    await reader.cancel();
  });

  it('ends a reader that falls more than the buffer behind, as the apiserver does', async () => {
    const src = source();
    const reader = openWatch(src, request()).getReader();
    for (let rv = 2; rv < MAX_WATCH_BUFFER + 10; rv++) src.watchers.publish(event(rv));
    expect(src.watchers.size).toBe(0);
    // What it was already given may be read; then the stream ends and the client watches again.
    let lines = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      lines++;
    }
    expect(lines).toBeLessThanOrEqual(MAX_WATCH_BUFFER);
  });

  it('frees the listener and the caller slot as soon as the client goes away', async () => {
    const src = source();
    const mine = request({ caller: 'token:ci', maxWatches: 2 });
    const a = openWatch(src, mine).getReader();
    openWatch(src, mine);
    expect(src.watchers.held('token:ci')).toBe(2);
    expect(() => openWatch(src, mine)).toThrow(StatusError);
    try {
      openWatch(src, mine);
    } catch (e) {
      expect((e as StatusError).status).toMatchObject({ code: 429, reason: 'TooManyRequests' });
      expect((e as StatusError).headers['Retry-After']).toBe('1');
    }
    const pending = a.read();
    await a.cancel();
    await pending;
    expect(src.watchers.held('token:ci')).toBe(1);
    expect(src.watchers.size).toBe(1);
    expect(() => openWatch(src, mine)).not.toThrow();
    // Another caller has its own count.
    expect(() => openWatch(src, { ...mine, caller: 'token:other' })).not.toThrow();
  });

  it('releases the slot when the watch ends by its timeout', async () => {
    const src = source();
    const reader = openWatch(
      src,
      request({ caller: 'token:ci', maxWatches: 1, timeoutSeconds: 5 }),
    ).getReader();
    const ended = reader.read();
    await vi.advanceTimersByTimeAsync(6_000);
    expect((await ended).done).toBe(true);
    expect(src.watchers.held('token:ci')).toBe(0);
    expect(src.watchers.size).toBe(0);
  });
});
