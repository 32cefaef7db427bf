import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYaml } from './openapi-yaml';

describe('toYaml', () => {
  it('writes block YAML, quoting what a reader would otherwise retype', () => {
    expect(
      toYaml({
        openapi: '3.1.0',
        responses: { '200': { description: 'ok' } },
        words: ['yes', 'No', 'null', 'plain text', 'trailing ', '- dash', 'a: b', 'x #y'],
        nested: [[1, 2], [], {}, { a: true, b: null }],
        skipped: undefined,
      }),
    ).toBe(
      [
        'openapi: "3.1.0"',
        'responses:',
        '  "200":',
        '    description: ok',
        'words:',
        '  - "yes"',
        '  - "No"',
        '  - "null"',
        '  - plain text',
        '  - "trailing "',
        '  - "- dash"',
        '  - "a: b"',
        '  - "x #y"',
        'nested:',
        '  - - 1',
        '    - 2',
        '  - []',
        '  - {}',
        '  - a: true',
        '    b: null',
        '',
      ].join('\n'),
    );
  });

  it('round-trips any JSON value through a YAML parser', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = JSON.parse(JSON.stringify(value));
        expect(parse(toYaml(json))).toEqual(json);
      }),
      { numRuns: 500 },
    );
  });
});
