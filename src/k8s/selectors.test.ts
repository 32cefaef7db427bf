import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePod } from './pod';
import { parseFieldSelector, parseLabelSelector, podFieldSet } from './selectors';
import { StatusError } from './status';

const labels = { app: 'web', tier: 'front', rev: '5' };
const matches = (sel: string, l: Record<string, string> | undefined = labels) =>
  parseLabelSelector(sel)(l);

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['rev>4', true],
    ['rev<4', false],
    ['app=web,tier=back', false],
    ['app=web, tier in (front)', true],
    ['empty=', false],
  ])('%s → %s', (sel, expected) => {
    expect(matches(sel)).toBe(expected);
  });

  it('matches objects without labels', () => {
    expect(parseLabelSelector('!app')(undefined)).toBe(true);
    expect(parseLabelSelector('app')(undefined)).toBe(false);
  });

  it.each([
    ['app=web tier=x', "found 'tier', expected: ',' or 'end of string'"],
    ['app in web', "found 'web', expected: '('"],
    ['app gt 4', "found 'gt', expected: in, notin, =, ==, !=, gt, lt"],
    [
      'rev>x',
      "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ['app=web,', "found '', expected: identifier"],
  ])('rejects %s with 400', (sel, message) => {
    try {
      parseLabelSelector(sel);
      expect.unreachable();
    } catch (e) {
      expect((e as StatusError).status).toMatchObject({ code: 400, reason: 'BadRequest', message });
    }
  });

  it('validates keys and values', () => {
    expect(() => parseLabelSelector('bad key!=x')).toThrow(StatusError);
    expect(() => parseLabelSelector('app=-bad')).toThrow(/values\[0\]: Invalid value: "-bad"/);
  });

  it('round-trips any equality selector built from valid labels (property)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    fc.assert(
      fc.property(fc.dictionary(word, word, { minKeys: 1 }), (l) => {
        const sel = Object.entries(l)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        expect(matches(sel, l)).toBe(true);
        expect(matches(sel.replace(/=/, '!='), l)).toBe(false);
      }),
    );
  });
});

describe('field selectors', () => {
  const pod = decodePod({
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'vk', restartPolicy: 'Always', containers: [] },
    status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
  });

  it('computes the pod field set', () => {
    expect(podFieldSet(pod)).toMatchObject({
      'spec.hostNetwork': 'false',
      'status.podIP': '10.0.0.5',
      'metadata.name': 'web',
    });
  });

  it('matches =, ==, != with AND and the spec.host alias', () => {
    expect(parseFieldSelector('metadata.name=web')(pod)).toBe(true);
    expect(parseFieldSelector('status.phase==Running,spec.host=vk')(pod)).toBe(true);
    expect(parseFieldSelector('status.phase!=Running')(pod)).toBe(false);
    expect(parseFieldSelector('')(pod)).toBe(true);
    expect(
      parseFieldSelector('metadata.name=a\\,b')(decodePod({ metadata: { name: 'a,b' } })),
    ).toBe(true);
  });

  it('rejects unsupported labels and malformed terms with 400', () => {
    expect(() => parseFieldSelector('spec.containers=x')).toThrow(
      'field label not supported: spec.containers',
    );
    expect(() => parseFieldSelector('metadata.name')).toThrow(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });
});
