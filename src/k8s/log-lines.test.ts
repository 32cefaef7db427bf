import { describe, expect, it } from 'vitest';
import { sinceSecondsOf, splitLines, stampLine, unseenLines } from './log-lines';

describe('splitLines', () => {
  it('keeps each newline and holds back an unterminated rest', () => {
    expect(splitLines('a\nb\nc')).toEqual({ lines: ['a\n', 'b\n'], rest: 'c' });
    expect(splitLines('a\n')).toEqual({ lines: ['a\n'], rest: '' });
    expect(splitLines('')).toEqual({ lines: [], rest: '' });
  });
});

describe('unseenLines', () => {
  it('drops the overlap with the previous read', () => {
    expect(unseenLines(['1\n', '2\n', '3\n'], ['2\n', '3\n', '4\n', '5\n'])).toEqual([
      '4\n',
      '5\n',
    ]);
  });

  it('skips older lines a tailLines first read did not show', () => {
    expect(unseenLines(['2\n'], ['1\n', '2\n', '3\n'])).toEqual(['3\n']);
  });

  it('counts a repeated line written again as new', () => {
    expect(unseenLines(['ok\n', 'ok\n'], ['ok\n', 'ok\n', 'ok\n'])).toEqual(['ok\n']);
  });

  it('shows nothing when nothing was written', () => {
    expect(unseenLines(['1\n', '2\n'], ['2\n'])).toEqual([]);
  });

  it('shows everything when the windows do not overlap', () => {
    expect(unseenLines(['1\n'], ['7\n', '8\n'])).toEqual(['7\n', '8\n']);
  });

  it('takes the longest overlap, so a repeated line is never shown twice', () => {
    expect(unseenLines(['x\n', 'ok\n', 'ok\n'], ['ok\n', 'ok\n', 'y\n'])).toEqual(['y\n']);
  });
});

describe('stampLine', () => {
  it("uses the line's own RFC 3339 time, to the nanosecond", () => {
    expect(stampLine('2026-12-01T10:00:05Z web: line 6\n', 0)).toBe(
      '2026-12-01T10:00:05.000000000Z 2026-12-01T10:00:05Z web: line 6\n',
    );
    expect(stampLine('2026-12-01T10:00:05.123456789Z x\n', 0)).toMatch(
      /^2026-12-01T10:00:05\.123456789Z /,
    );
    expect(stampLine('2026-12-01T12:00:05+02:00 x\n', 0)).toMatch(
      /^2026-12-01T10:00:05\.000000000Z /,
    );
  });

  it('falls back to the time podgate read a line without one', () => {
    expect(stampLine('hello\n', Date.UTC(2026, 11, 1, 10, 0, 0, 250))).toBe(
      '2026-12-01T10:00:00.250000000Z hello\n',
    );
  });
});

describe('sinceSecondsOf', () => {
  it('turns sinceTime into whole seconds back from now (at least 1)', () => {
    const now = Date.UTC(2026, 11, 1, 10, 0, 0);
    expect(sinceSecondsOf('2026-12-01T09:59:00Z', now)).toBe(60);
    expect(sinceSecondsOf('2026-12-01T09:59:59.5Z', now)).toBe(1);
    expect(sinceSecondsOf('2026-12-01T11:00:00Z', now)).toBe(1);
    expect(sinceSecondsOf('yesterday', now)).toBeUndefined();
  });
});
