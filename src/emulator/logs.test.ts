import { describe, expect, it } from 'vitest';
import { containerLogs, MAX_LOG_BYTES, parseLogOptions } from './logs';

const source = { containerName: 'app', image: 'nginx:1', startedAt: Date.UTC(2026, 0, 1) };
const lines = (text: string) => text.trimEnd().split('\n');

describe('synthetic container logs', () => {
  it('writes one line per second since the run started', () => {
    const content = containerLogs(source, {}, source.startedAt + 2500);
    expect(lines(content)).toEqual([
      '2026-01-01T00:00:00Z nginx:1 app: line 1',
      '2026-01-01T00:00:01Z nginx:1 app: line 2',
      '2026-01-01T00:00:02Z nginx:1 app: line 3',
    ]);
  });

  it('is empty before the container ever ran, and stops at the end of a finished run', () => {
    expect(containerLogs({ ...source, startedAt: undefined }, {}, 10_000)).toBe('');
    const finished = containerLogs(
      { ...source, finishedAt: source.startedAt + 1000 },
      {},
      source.startedAt + 60_000,
    );
    expect(lines(finished)).toHaveLength(2);
  });

  it('honours tailLines and sinceSeconds', () => {
    const now = source.startedAt + 99_000;
    expect(lines(containerLogs(source, { tailLines: 2 }, now))).toEqual([
      '2026-01-01T00:01:38Z nginx:1 app: line 99',
      '2026-01-01T00:01:39Z nginx:1 app: line 100',
    ]);
    expect(lines(containerLogs(source, { sinceSeconds: 3 }, now))).toHaveLength(4);
    expect(containerLogs(source, { tailLines: 0 }, now)).toBe('');
  });

  it('cuts at limitBytes and never exceeds 4KB', () => {
    const weekLater = source.startedAt + 7 * 86_400_000;
    expect(new TextEncoder().encode(containerLogs(source, {}, weekLater))).toHaveLength(
      MAX_LOG_BYTES,
    );
    expect(containerLogs(source, { limitBytes: 10 }, weekLater)).toBe('2026-01-01');
  });

  it('validates the query parameters', () => {
    expect(parseLogOptions(new URLSearchParams('tailLines=5&limitBytes=100'))).toEqual({
      tailLines: 5,
      sinceSeconds: undefined,
      limitBytes: 100,
    });
    expect(() => parseLogOptions(new URLSearchParams('limitBytes=4097'))).toThrow('limitBytes');
    expect(() => parseLogOptions(new URLSearchParams('tailLines=-1'))).toThrow('tailLines');
  });
});
