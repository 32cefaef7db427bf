import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cpuCores,
  formatCores,
  memoryBytes,
  memoryMiB,
  parseQuantity,
  QUANTITY_ERR_FORMAT,
  QuantityError,
} from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['1', 1],
    ['1.5', 1.5],
    ['2Gi', 2 * 2 ** 30],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['100k', 100_000],
    ['+5', 5],
    ['-1', -1],
    ['.5', 0.5],
    ['100n', 100e-9],
  ])('%s → %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  it('accepts JSON numbers', () => {
    expect(parseQuantity(2)).toBe(2);
  });

  it('rejects malformed text with the apiserver messages', () => {
    expect(() => parseQuantity('abc')).toThrow(QUANTITY_ERR_FORMAT);
    expect(() => parseQuantity('')).toThrow(QuantityError);
    expect(() => parseQuantity('1Qi')).toThrow(QUANTITY_ERR_FORMAT);
    expect(() => parseQuantity('1iK')).toThrow("unable to parse quantity's suffix");
    expect(() => parseQuantity('1.2.3')).toThrow('unable to parse numeric part of quantity');
    expect(() => parseQuantity(Number.NaN)).toThrow(QuantityError);
  });

  it('round-trips integer MiB counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
        expect(memoryMiB(`${n}Mi`)).toBe(n);
        expect(parseQuantity(`${n}m`)).toBeCloseTo(n / 1000, 9);
      }),
    );
  });
});

describe('unit helpers', () => {
  it('converts cpu and memory for JD Cloud', () => {
    expect(cpuCores('250m')).toBe(0.25);
    expect(memoryBytes('1Ki')).toBe(1024);
    expect(memoryMiB('1G')).toBe(954); // 1e9 B = 953.67 MiB, rounded up
    expect(formatCores(0.1 + 0.2)).toBe('0.3');
    expect(formatCores(2)).toBe('2');
  });
});
