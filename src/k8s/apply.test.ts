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
  it('reads the JSON form kubectl sends', () => {
    expect(decodeAppliedConfiguration('{"metadata":{"name":"web"}}')).toEqual({
      metadata: { name: 'web' },
    });
  });

  it('answers 400 for block-style YAML, saying to send JSON', () => {
    expect(() => decodeAppliedConfiguration('metadata:\n  name: web\n')).toThrow(
      'accepts application/apply-patch+yaml bodies in their JSON form',
    );
  });

  it('answers 400 for JSON that is not an object', () => {
    expect(() => decodeAppliedConfiguration('["a","b"]')).toThrow('must be an object');
  });
});
