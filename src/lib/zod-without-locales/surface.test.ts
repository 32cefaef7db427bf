import { describe, expect, it } from 'vitest';
import * as zod from 'zod';
// @ts-expect-error: plain JS modules, typed only through index.d.ts for their importers
import * as leanCore from './core.js';
import * as lean from './index.js';

/** What the stand-in leaves out on purpose (see external.js); everything else must be there. */
const LEFT_OUT = new Set([
  'locales',
  'compile',
  'withParser',
  'INVALID',
  'ZodCompileAsyncError',
  'ZodCompileUnsupportedError',
  'compileFn',
  'fromJSONSchema',
]);

const names = (module: object) => Object.keys(module).sort();

describe('the bundle stand-in for zod', () => {
  it('exports what zod exports, minus the parts left out', () => {
    expect(names(lean)).toEqual(names(zod).filter((name) => !LEFT_OUT.has(name)));
  });

  it('gives z.core what zod core has, minus the parts left out', () => {
    expect(names(leanCore)).toEqual(names(zod.core).filter((name) => !LEFT_OUT.has(name)));
  });

  it('parses with English messages', () => {
    const result = lean.z.object({ name: lean.z.string() }).safeParse({ name: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'Invalid input: expected string, received number',
    );
  });
});
