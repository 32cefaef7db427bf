import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuMillis, jdCpu, jdMemory, mebibytes, memoryBytes } from './quantity';

describe('cpuMillis', () => {
  it.each([
    ['500m', 500],
    ['0.1', 100],
    ['0.5', 500],
    ['1', 1000],
    ['2.5', 2500],
    ['.25', 250],
    ['1e3', 1_000_000],
    ['100u', 1],
    ['1k', 1_000_000],
    [2, 2000],
    [0.25, 250],
    ['0', 0],
  ] as const)('%s → %d', (q, want) => {
    expect(cpuMillis(q)).toBe(want);
  });

  it('rejects what is not a non-negative quantity', () => {
    for (const bad of ['', 'abc', '-1', '1.5.5', '1 m', 'm', '1x', '1Gb']) {
      expect(cpuMillis(bad), bad).toBeUndefined();
    }
  });
});

describe('memoryBytes', () => {
  it.each([
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['512M', 512e6],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1e9', 1e9],
    ['1000', 1000],
    ['1Ki', 1024],
    [1024, 1024],
  ] as const)('%s → %d', (q, want) => {
    expect(memoryBytes(q)).toBe(want);
  });
});

describe('JD strings', () => {
  it('writes whole cores bare and fractions in millicores', () => {
    expect(jdCpu(1000)).toBe('1');
    expect(jdCpu(4000)).toBe('4');
    expect(jdCpu(500)).toBe('500m');
    expect(jdCpu(1500)).toBe('1500m');
  });

  it('writes memory in whole MiB, rounding up', () => {
    expect(jdMemory(2 ** 30)).toBe('1024Mi');
    expect(jdMemory(512e6)).toBe('489Mi');
    expect(jdMemory(1)).toBe('1Mi');
    expect(mebibytes('1Gi')).toBe(1024);
    expect(mebibytes('10M')).toBe(10);
    expect(mebibytes('nope')).toBeUndefined();
  });

  it('round-trips through the JD strings without losing a millicore or a MiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 256_000 }), (millis) => {
        expect(cpuMillis(jdCpu(millis))).toBe(millis);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), (mib) => {
        expect(memoryBytes(jdMemory(mib * 2 ** 20))).toBe(mib * 2 ** 20);
      }),
    );
  });
});
