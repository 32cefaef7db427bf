import { describe, expect, it } from 'vitest';
import { statusOf } from '../../test/support/status-of';
import { decodeDeleteOptions, MAX_GRACE_PERIOD_SECONDS } from './delete-options';

describe('decodeDeleteOptions', () => {
  it('reads what kubectl sends, and lets the query win', () => {
    expect(
      decodeDeleteOptions(
        '{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background","gracePeriodSeconds":5}',
        { gracePeriodSeconds: 0 },
      ),
    ).toEqual({ propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    expect(decodeDeleteOptions('', {})).toEqual({});
    expect(decodeDeleteOptions('{"preconditions":{"uid":"u1"},"dryRun":["All"]}')).toEqual({
      preconditions: { uid: 'u1' },
      dryRun: ['All'],
    });
  });

  it('answers a wrong type with 400 naming the field, as the Go decoder does', () => {
    expect(statusOf(() => decodeDeleteOptions('{"gracePeriodSeconds":"30"}'))).toMatchObject({
      code: 400,
      message:
        'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64',
    });
    expect(statusOf(() => decodeDeleteOptions('{"gracePeriodSeconds":1.5}')).code).toBe(400);
    expect(statusOf(() => decodeDeleteOptions('{"dryRun":"All"}')).message).toContain(
      'DeleteOptions.dryRun',
    );
    expect(statusOf(() => decodeDeleteOptions('[1]')).code).toBe(400);
    expect(statusOf(() => decodeDeleteOptions('{"kind":"Pod"}')).code).toBe(400);
  });

  it('refuses values ValidateDeleteOptions refuses with 422 naming the field', () => {
    expect(statusOf(() => decodeDeleteOptions('{"propagationPolicy":"Sideways"}'))).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message:
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
    });
    expect(
      statusOf(() => decodeDeleteOptions('{"orphanDependents":true,"propagationPolicy":"Orphan"}'))
        .message,
    ).toContain('orphanDependents and deletionPropagation cannot be both set');
    expect(statusOf(() => decodeDeleteOptions('', { dryRun: 'Some' })).message).toContain(
      'dryRun: Unsupported value',
    );
    const huge = MAX_GRACE_PERIOD_SECONDS + 1;
    expect(statusOf(() => decodeDeleteOptions(`{"gracePeriodSeconds":${huge}}`))).toMatchObject({
      code: 422,
      message: `DeleteOptions.meta.k8s.io "" is invalid: gracePeriodSeconds: Invalid value: ${huge}: must be at most ${MAX_GRACE_PERIOD_SECONDS}`,
    });
  });

  it('treats a negative grace period as 1 s, as the apiserver does', () => {
    expect(decodeDeleteOptions('{"gracePeriodSeconds":-5}').gracePeriodSeconds).toBe(1);
  });

  it('refuses a deeply nested body with 400 before parsing it', () => {
    const deep = `{"preconditions":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expect(statusOf(() => decodeDeleteOptions(deep)).code).toBe(400);
  });
});
