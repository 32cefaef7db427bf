import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDifferences, semanticEqual } from './semantic-diff';

describe('semanticEqual', () => {
  it('treats absent, null, "" and [] alike, as Go decodes them', () => {
    expect(semanticEqual({ a: 1, b: '', c: [] }, { a: 1, d: null })).toBe(true);
    expect(semanticEqual({ a: 1 }, { a: 1, b: 'x' })).toBe(false);
    expect(semanticEqual([1, { x: [] }], [1, {}])).toBe(true);
    expect(semanticEqual({ a: [1] }, { a: { 0: 1 } })).toBe(false);
  });

  it('says equal exactly when jsonDifferences finds nothing', () => {
    const zeroish = fc.constantFrom(undefined, null, '', [] as unknown[]);
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        zeroish,
        fc.constantFrom(0, 1, 'x', true),
        fc.array(tie('any'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('any'), { maxKeys: 3 }),
      ),
    })).any;
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(semanticEqual(a, b)).toBe(jsonDifferences(a, b).length === 0);
        expect(semanticEqual(a, a)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
