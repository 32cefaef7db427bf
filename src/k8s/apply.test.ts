import { describe, expect, it } from 'vitest';
import { APPLY_PATCH, checkPatchOptions, decodeAppliedConfiguration } from './apply';

describe('checkPatchOptions', () => {
  it('requires a fieldManager for apply, with the apiserver message', () => {
    expect(() => checkPatchOptions(APPLY_PATCH, {})).toThrow(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(() =>
      checkPatchOptions(APPLY_PATCH, { fieldManager: 'kubectl', force: 'true' }),
    ).not.toThrow();
  });

  it('refuses force on other patch types', () => {
    expect(() => checkPatchOptions('application/merge-patch+json', { force: 'true' })).toThrow(
      'force: Forbidden: may not be specified for non-apply patch',
    );
  });
});

describe('decodeAppliedConfiguration', () => {
  it('reads YAML and JSON objects', () => {
    expect(decodeAppliedConfiguration('metadata:\n  name: web\n')).toEqual({
      metadata: { name: 'web' },
    });
    expect(decodeAppliedConfiguration('{"metadata":{"name":"web"}}')).toEqual({
      metadata: { name: 'web' },
    });
  });

  it('answers 400 for anything else', () => {
    expect(() => decodeAppliedConfiguration('- a\n- b\n')).toThrow('must be an object');
    expect(() => decodeAppliedConfiguration('a: [')).toThrow('error decoding YAML');
  });
});
