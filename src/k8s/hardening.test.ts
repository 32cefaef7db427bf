/**
 * Work bounded by size (issue 17): patches cannot grow an object past its budget, caller input is
 * never parsed super-linearly, and maps are read by their own keys only. Time bounds here are
 * generous (10-100× what the linear code needs); the old quadratic code took seconds.
 */
import { describe, expect, it } from 'vitest';
import { statusOf } from '../../test/support/status-of';
import { MAX_JSON_DEPTH, MAX_OBJECT_BYTES, MAX_PATCH_COPY_BYTES } from './json-budget';
import { applyPatch } from './patch';
import { parseQuantity } from './quantity';
import { parseFieldSelector, parseLabelSelector } from './selectors';

const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { note: 'x'.repeat(1000) } },
  spec: { containers: [{ name: 'a', image: 'nginx:1' }] },
});

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('JSON-patch growth budget', () => {
  it('refuses copy operations that double the document before building it (422, apiserver words)', () => {
    // 40 doublings of a 1 KB annotation would be a terabyte; each copy is judged before it runs.
    const ops: object[] = [{ op: 'add', path: '/metadata/annotations/b', value: {} }];
    for (let i = 0; i < 40; i++) {
      ops.push({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/b${i}` });
    }
    const { value: status, ms } = timed(() => statusOf(() => applyPatch(pod(), JSON_PATCH, ops)));
    expect(status.code).toBe(422);
    expect(status.details?.causes?.[0]?.message).toMatch(
      new RegExp(
        `^Unable to complete the copy, the accumulated size increase of copy is \\d+, exceeding the limit ${MAX_PATCH_COPY_BYTES}$`,
      ),
    );
    expect(ms).toBeLessThan(5000);
  });

  it('refuses adds that would outgrow the object budget with 413, before the last one', () => {
    const chunk = 'y'.repeat(512 * 1024);
    const ops = Array.from({ length: 7 }, (_, i) => ({
      op: 'add',
      path: `/metadata/annotations/k${i}`,
      value: chunk,
    }));
    const status = statusOf(() => applyPatch(pod(), JSON_PATCH, ops));
    expect(status).toMatchObject({ code: 413, reason: 'RequestEntityTooLarge' });
    expect(status.message).toBe(
      `Request entity too large: the patched object would be larger than ${MAX_OBJECT_BYTES} bytes`,
    );
    // Within the budget the same kind of patch applies.
    expect(applyPatch(pod(), JSON_PATCH, ops.slice(0, 3)).metadata).toHaveProperty(
      'annotations.k2',
    );
  });

  it('keeps copies that stay within the budget', () => {
    const out = applyPatch(pod(), JSON_PATCH, [
      { op: 'copy', from: '/metadata/labels/app', path: '/metadata/labels/copy' },
    ]);
    expect(out.metadata).toMatchObject({ labels: { app: 'web', copy: 'web' } });
  });

  it('refuses moves that nest the result deeper than the limit (422, no stack overflow)', () => {
    const deepPath = `/metadata/annotations${'/x'.repeat(40)}`;
    const ops: object[] = [];
    let path = '/metadata/annotations';
    for (let i = 0; i < 40; i++) {
      path += '/x';
      ops.push({ op: 'add', path, value: {} });
    }
    for (let i = 0; i < 3; i++) ops.push({ op: 'move', from: '/spec', path: `${deepPath}/s${i}` });
    for (let i = 0; i < 100; i++) {
      ops.push({ op: 'move', from: '/metadata/annotations/x', path: `${deepPath}/x` });
    }
    const status = statusOf(() => applyPatch(pod(), JSON_PATCH, ops));
    expect(status.code).toBe(422);
  });

  it('refuses a patch value nested deeper than the limit, whatever hands it over', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = { d: deep };
    expect(statusOf(() => applyPatch(pod(), MERGE, { metadata: deep })).code).toBe(400);
    const text = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    expect(statusOf(() => applyPatch(pod(), SMP, text)).code).toBe(400);
  });

  it('refuses merge patches whose result outgrows the budget with 413', () => {
    const big = { metadata: { annotations: { a: 'z'.repeat(MAX_OBJECT_BYTES) } } };
    expect(statusOf(() => applyPatch(pod(), MERGE, big)).code).toBe(413);
    expect(statusOf(() => applyPatch(pod(), SMP, big)).code).toBe(413);
  });
});

describe('linear work on caller input', () => {
  it('parses a hostile quantity of hundreds of KB in linear time', () => {
    for (const shape of [
      '1'.repeat(300_000),
      `${'1'.repeat(300_000)}x`,
      `${'9'.repeat(300_000)}.`,
    ]) {
      const { ms } = timed(() => {
        try {
          parseQuantity(shape);
        } catch {
          // a format error is fine; the time is what is judged
        }
      });
      expect(ms).toBeLessThan(200);
    }
    expect(() => parseQuantity(`${'1'.repeat(300_000)}x`)).toThrow(/regular expression/);
  });

  it('still reads quantities as the Go parser does', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('+.5')).toBe(0.5);
    expect(() => parseQuantity('1.2.3')).toThrow(/numeric part/);
    expect(() => parseQuantity('.')).toThrow(/numeric part/);
    expect(() => parseQuantity('1Q')).toThrow(/regular expression/);
    expect(() => parseQuantity('1Zi')).toThrow(/regular expression/);
  });

  it('applies $setElementOrder with tens of thousands of entries in linear time', () => {
    const n = 60_000;
    const env = Array.from({ length: n }, (_, i) => ({ name: `V${i}`, value: String(i) }));
    const current = { ...pod(), spec: { containers: [{ name: 'a', image: 'x', env }] } };
    const order = [...env].reverse().map(({ name }) => ({ name }));
    const patch = {
      spec: {
        containers: [
          { name: 'a', env: [{ name: 'V1', value: 'one' }], '$setElementOrder/env': order },
        ],
      },
    };
    const { value, ms } = timed(() => applyPatch(current, SMP, JSON.stringify(patch)));
    const merged = (value.spec as { containers: { env: { name: string; value: string }[] }[] })
      .containers[0]?.env;
    expect(merged?.[0]?.name).toBe(`V${n - 1}`);
    expect(merged?.find((e) => e.name === 'V1')?.value).toBe('one');
    expect(ms).toBeLessThan(5000);
  });

  it('merges long keyed lists in linear time', () => {
    const n = 30_000;
    const env = Array.from({ length: n }, (_, i) => ({ name: `V${i}`, value: String(i) }));
    const current = { ...pod(), spec: { containers: [{ name: 'a', image: 'x', env }] } };
    const patch = {
      spec: { containers: [{ name: 'a', env: env.map((e) => ({ ...e, value: 'p' })) }] },
    };
    const { ms } = timed(() => applyPatch(current, SMP, patch));
    expect(ms).toBeLessThan(5000);
  });

  it('splits long field selectors with many operators in linear time', () => {
    const term = `metadata.name=${'='.repeat(60_000)}\n`;
    const { ms } = timed(() => {
      try {
        parseFieldSelector(term);
      } catch {
        // refused: fine
      }
    });
    expect(ms).toBeLessThan(200);
    expect(() => parseFieldSelector('metadata.name!=a\nb')).toThrow(/can't understand/);
  });
});

describe('own keys only', () => {
  it('never matches a label selector against inherited keys', () => {
    const labels = { app: 'web' };
    expect(parseLabelSelector('constructor')(labels)).toBe(false);
    expect(parseLabelSelector('toString')(labels)).toBe(false);
    expect(parseLabelSelector('!constructor')(labels)).toBe(true);
    expect(parseLabelSelector('hasOwnProperty notin (x)')(labels)).toBe(true);
    expect(parseLabelSelector('constructor in (x)')(labels)).toBe(false);
    expect(parseLabelSelector('app=web')(labels)).toBe(true);
  });

  it('keeps __proto__ and constructor as ordinary members in merge patches, polluting nothing', () => {
    for (const type of [MERGE, SMP]) {
      const out = applyPatch(
        pod(),
        type,
        '{"metadata":{"labels":{"__proto__":{"polluted":"yes"},"constructor":"c","tier":"db"}}}',
      );
      const labels = out.metadata as { labels: Record<string, unknown> };
      expect(Object.keys(labels.labels).sort()).toEqual([
        '__proto__',
        'app',
        'constructor',
        'tier',
      ]);
      expect(Object.getPrototypeOf(labels.labels)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('never takes an inherited member as a strategic-merge list element key', () => {
    const current = { ...pod(), spec: { containers: [{ name: 'a', image: 'x' }] } };
    expect(
      statusOf(() => applyPatch(current, SMP, { spec: { containers: [{ image: 'y' }] } })).code,
    ).toBe(400);
    expect(
      statusOf(() => applyPatch(current, SMP, '{"spec":{"containers":[{"constructor":"a"}]}}'))
        .code,
    ).toBe(400);
  });
});
