import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientTokenFor,
  IDENTITY_TAGS,
  identityFromTags,
  identityTags,
  inNamespace,
  jdNamePrefix,
  jdPodName,
  maxPodNameLength,
  namespaceNameFilter,
  podKeyFromJdName,
} from './jd-name';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const subdomain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

describe('jdPodName / podKeyFromJdName', () => {
  it('encodes namespace and name under the pg prefix', () => {
    expect(jdPodName({ namespace: 'default', name: 'web' })).toBe('pg.default.web');
    expect(jdPodName({ namespace: 'staging', name: 'api.v2' })).toBe('pg.staging.api.v2');
  });

  it('round-trips every namespace and name, and the result is a JD-valid subdomain', () => {
    fc.assert(
      fc.property(label, subdomain, (namespace, name) => {
        fc.pre(name.length <= maxPodNameLength(namespace));
        const jd = jdPodName({ namespace, name });
        expect(jd.length).toBeLessThanOrEqual(253);
        expect(jd).toMatch(SUBDOMAIN);
        expect(podKeyFromJdName(jd)).toEqual({ namespace, name });
      }),
    );
  });

  it('never maps two different pods to one JD name', () => {
    fc.assert(
      fc.property(label, subdomain, label, subdomain, (ns1, n1, ns2, n2) => {
        fc.pre(n1.length <= maxPodNameLength(ns1) && n2.length <= maxPodNameLength(ns2));
        fc.pre(ns1 !== ns2 || n1 !== n2);
        expect(jdPodName({ namespace: ns1, name: n1 })).not.toBe(
          jdPodName({ namespace: ns2, name: n2 }),
        );
      }),
    );
  });

  it('gives each namespace exactly the room left in 253 characters', () => {
    expect(maxPodNameLength('default')).toBe(253 - 'pg.default.'.length);
    const longest = 'a'.repeat(maxPodNameLength('default'));
    expect(jdPodName({ namespace: 'default', name: longest })).toHaveLength(253);
    expect(() => jdPodName({ namespace: 'default', name: `${longest}a` })).toThrow(RangeError);
  });

  it('refuses inputs the API must have rejected', () => {
    expect(() => jdPodName({ namespace: 'a.b', name: 'web' })).toThrow(RangeError);
    expect(() => jdPodName({ namespace: 'default', name: 'Web' })).toThrow(RangeError);
    expect(() => jdPodName({ namespace: 'default', name: '' })).toThrow(RangeError);
  });

  it('does not decode names podgate did not write', () => {
    for (const foreign of [
      'web',
      'pg',
      'pg.',
      'pg.default',
      'pg..web',
      'pgx.default.web',
      'pg.default.',
      'pg.Default.web',
      'pg.default.-x',
    ]) {
      expect(podKeyFromJdName(foreign), foreign).toBeUndefined();
    }
  });
});

describe('namespace listing', () => {
  it('filters by the prefix, then keeps only exact members', () => {
    expect(namespaceNameFilter('default')).toEqual({ name: 'name', values: ['pg.default.'] });
    expect(jdNamePrefix('default')).toBe('pg.default.');
    // All of these contain "pg.default." — JD's fuzzy filter would return them.
    expect(inNamespace('pg.default.web', 'default')).toBe(true);
    expect(inNamespace('pg.staging.pg.default.web', 'default')).toBe(false);
    expect(inNamespace('xpg.default.web', 'default')).toBe(false);
    expect(inNamespace('pg.default.web', 'staging')).toBe(false);
  });
});

describe('identity tags', () => {
  const identity = {
    namespace: 'default',
    name: 'web.v1',
    uid: '0b6f3d4e-52a1-4c61-9d4b-8f2b1f1c2a3e',
    creationTimestamp: '2024-01-02T03:04:05Z',
  };

  it('writes the four keys, within JD tag limits', () => {
    const tags = identityTags(identity);
    expect(tags).toEqual([
      { key: 'podgate.namespace', value: 'default' },
      { key: 'podgate.name', value: 'web.v1' },
      { key: 'podgate.uid', value: identity.uid },
      { key: 'podgate.created', value: '2024-01-02T03:04:05Z' },
    ]);
    for (const t of tags) {
      expect(t.key.length).toBeLessThanOrEqual(127);
      expect(t.value.length).toBeLessThanOrEqual(255);
      expect(t.value).toMatch(/^[\p{L}\p{N}\p{Z}_.:/=+\-@]+$/u);
    }
  });

  it('reads the identity back from the tags', () => {
    expect(identityFromTags('pg.default.web.v1', identityTags(identity))).toEqual(identity);
  });

  it('ignores tags that disagree with the name or are incomplete', () => {
    const tags = identityTags(identity);
    expect(identityFromTags('pg.staging.web.v1', tags)).toBeUndefined();
    expect(identityFromTags('pg.default.web.v1', tags.slice(0, 3))).toBeUndefined();
    expect(identityFromTags('pg.default.web.v1', undefined)).toBeUndefined();
    expect(identityFromTags('web', tags)).toBeUndefined();
  });

  it('refuses a value JD would reject', () => {
    expect(() => identityTags({ ...identity, uid: 'a#b' })).toThrow(RangeError);
    expect(Object.values(IDENTITY_TAGS).every((k) => !k.startsWith('jrn:'))).toBe(true);
  });
});

describe('clientTokenFor', () => {
  it('is stable per uid, distinct across uids, and at most 64 ASCII characters', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (a, b) => {
        const token = clientTokenFor(a);
        expect(token).toBe(clientTokenFor(a));
        expect(token.length).toBeLessThanOrEqual(64);
        expect(token).toMatch(/^[\x21-\x7e]+$/);
        if (a !== b) expect(clientTokenFor(b)).not.toBe(token);
      }),
    );
  });

  it('refuses a uid that cannot fit', () => {
    expect(() => clientTokenFor('x'.repeat(62))).toThrow(RangeError);
    expect(() => clientTokenFor('')).toThrow(RangeError);
  });
});
