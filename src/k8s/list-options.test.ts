import { describe, expect, it } from 'vitest';
import { validateListOptions } from './list-options';
import { StatusError } from './status';

const statusOf = (query: Parameters<typeof validateListOptions>[0]) => {
  try {
    validateListOptions(query);
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  return undefined;
};

describe('validateListOptions', () => {
  it('accepts what kubectl and client libraries send', () => {
    expect(
      statusOf({ watch: 'true', allowWatchBookmarks: 'true', resourceVersion: '5' }),
    ).toBeUndefined();
    expect(
      statusOf({ resourceVersion: '5', resourceVersionMatch: 'NotOlderThan' }),
    ).toBeUndefined();
    expect(statusOf({ watch: '1', allowWatchBookmarks: 'False' })).toBeUndefined();
  });

  it('answers a boolean Go would not parse with 400 naming the parameter', () => {
    expect(statusOf({ allowWatchBookmarks: 'yes' })).toMatchObject({
      code: 400,
      message: expect.stringMatching(/^allowWatchBookmarks: Invalid value: "yes"/),
    });
  });

  it('refuses a resourceVersionMatch the apiserver refuses with 422', () => {
    expect(statusOf({ resourceVersionMatch: 'Newest', resourceVersion: '1' })).toMatchObject({
      code: 422,
      message:
        'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan"',
    });
    expect(statusOf({ resourceVersionMatch: 'Exact' })?.message).toContain(
      'resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    expect(
      statusOf({ watch: 'true', resourceVersionMatch: 'Exact', resourceVersion: '1' })?.message,
    ).toContain('resourceVersionMatch is forbidden for watch');
  });
});
