import { describe, expect, it } from 'vitest';
import type { JdInstanceType } from '../jdcloud/models';
import { availableIn, chooseInstanceType, fits } from './instance-types';

const everywhere = [{ az: 'cn-north-1a', inStock: true, online: true }];
const type = (instanceType: string, cpu: number, memoryMB: number, state = everywhere) => ({
  instanceType,
  cpu,
  memoryMB,
  state,
});

const catalogue: JdInstanceType[] = [
  type('g.n2.xlarge', 4, 16384),
  type('g.n2.medium', 1, 4096),
  type('g.n2.large', 2, 8192),
  type('c.n2.large', 2, 4096),
  type('m.n2.large', 2, 16384),
];

describe('chooseInstanceType', () => {
  it('picks the fewest vCPUs, then the least memory', () => {
    const pick = (cpuMillis: number, memoryMiB: number) =>
      chooseInstanceType(catalogue, 'cn-north-1a', { cpuMillis, memoryMiB })?.instanceType;
    expect(pick(0, 0)).toBe('g.n2.medium');
    expect(pick(1000, 4096)).toBe('g.n2.medium');
    expect(pick(1001, 0)).toBe('c.n2.large');
    expect(pick(500, 5000)).toBe('g.n2.large');
    expect(pick(2000, 12000)).toBe('m.n2.large');
    expect(pick(3000, 1024)).toBe('g.n2.xlarge');
    expect(pick(5000, 1024)).toBeUndefined();
  });

  it('skips types that are offline, out of stock or not sold in the az', () => {
    const small = [
      type('a.tiny', 1, 1024, [{ az: 'cn-north-1a', inStock: false, online: true }]),
      type('b.tiny', 1, 1024, [{ az: 'cn-north-1a', inStock: true, online: false }]),
      type('c.tiny', 1, 1024, [{ az: 'cn-north-1b', inStock: true, online: true }]),
      type('d.tiny', 1, 1024, []),
      type('e.small', 1, 2048),
    ];
    const need = { cpuMillis: 100, memoryMiB: 100 };
    expect(chooseInstanceType(small, 'cn-north-1a', need)?.instanceType).toBe('e.small');
    expect(chooseInstanceType(small, 'cn-north-1b', need)?.instanceType).toBe('c.tiny');
    expect(chooseInstanceType([], 'cn-north-1a', need)).toBeUndefined();
  });

  it('breaks ties between equal sizes by name', () => {
    const twins = [type('z.same', 2, 4096), type('a.same', 2, 4096)];
    expect(
      chooseInstanceType(twins, 'cn-north-1a', { cpuMillis: 1, memoryMiB: 1 })?.instanceType,
    ).toBe('a.same');
  });
});

describe('availableIn / fits', () => {
  it('reads the per-az state', () => {
    expect(availableIn(type('x', 1, 1), 'cn-north-1a')).toBe(true);
    expect(availableIn(type('x', 1, 1), 'cn-north-1b')).toBe(false);
    expect(availableIn({ instanceType: 'x' }, 'cn-north-1a')).toBe(false);
  });

  it('compares vCPUs in millicores and memory in MiB', () => {
    expect(fits(type('x', 2, 4096), { cpuMillis: 2000, memoryMiB: 4096 })).toBe(true);
    expect(fits(type('x', 2, 4096), { cpuMillis: 2001, memoryMiB: 4096 })).toBe(false);
    expect(fits(type('x', 2, 4096), { cpuMillis: 2000, memoryMiB: 4097 })).toBe(false);
  });
});
