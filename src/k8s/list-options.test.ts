import { describe, expect, it } from 'vitest';
import { queryBool, queryOptionalBool, validateWatchOptions } from './list-options';
import { StatusError } from './status';

describe('queryBool (apimachinery Convert_Slice_string_To_bool)', () => {
  it('reads only 0 and false (any case) as false, absence too', () => {
    for (const v of ['0', 'false', 'False', 'FALSE']) expect(queryBool(v)).toBe(false);
    expect(queryBool(undefined)).toBe(false);
  });
  it('reads every other value as true, including an empty one', () => {
    for (const v of ['1', 't', 'T', 'true', 'True', 'TRUE', 'yes', ''])
      expect(queryBool(v)).toBe(true);
  });
  it('keeps absence apart for *bool parameters', () => {
    expect(queryOptionalBool(undefined)).toBeUndefined();
    expect(queryOptionalBool('false')).toBe(false);
  });
});

describe('validateWatchOptions', () => {
  it('accepts a watch-list request', () => {
    expect(() =>
      validateWatchOptions({
        sendInitialEvents: 'true',
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: 'true',
      }),
    ).not.toThrow();
  });
  it('refuses an unsupported resourceVersionMatch, naming it', () => {
    try {
      validateWatchOptions({
        sendInitialEvents: 'true',
        resourceVersionMatch: 'Exact',
        allowWatchBookmarks: 'true',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StatusError);
      expect((error as StatusError).status.message).toContain(
        'resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"',
      );
    }
  });
});
