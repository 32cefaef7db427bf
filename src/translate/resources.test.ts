import { describe, expect, it } from 'vitest';
import type { Container } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { cpuMillisOf, jdCpu, jdResourcesOf, memoryMiBOf, podAmounts } from './resources';

const c = (resources: Container['resources'], name = 'app'): Container => ({ name, resources });

describe('quantities in JD units', () => {
  it.each([
    ['500m', 500],
    ['0.1', 100],
    ['1', 1000],
    ['2.5', 2500],
    [2, 2000],
    ['100u', 1],
  ] as const)('cpu %s → %d millicores', (q, want) => {
    expect(cpuMillisOf(q)).toBe(want);
  });

  it.each([
    ['128Mi', 128],
    ['1Gi', 1024],
    ['1G', 954],
    ['1.5Gi', 1536],
    ['1', 1],
  ] as const)('memory %s → %d MiB (rounded up)', (q, want) => {
    expect(memoryMiBOf(q)).toBe(want);
  });

  it('treats unparsable and negative quantities as absent', () => {
    expect(cpuMillisOf('lots')).toBeUndefined();
    expect(memoryMiBOf('-1Gi')).toBeUndefined();
    expect(cpuMillisOf(undefined)).toBeUndefined();
  });

  it('writes cpu as whole cores or millicores', () => {
    expect(jdCpu(2000)).toBe('2');
    expect(jdCpu(250)).toBe('250m');
  });
});

describe('jdResourcesOf', () => {
  it('maps requests and limits to JD strings', () => {
    const errs: FieldError[] = [];
    const r = jdResourcesOf(
      c({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: 1, memory: '1Gi' } }),
      'spec.containers[0]',
      errs,
    );
    expect(errs).toEqual([]);
    expect(r).toEqual({
      requests: { cpu: '250m', memoryMB: '64Mi' },
      limits: { cpu: '1', memoryMB: '1024Mi' },
    });
  });

  it('omits what is not set', () => {
    const errs: FieldError[] = [];
    expect(jdResourcesOf(c(undefined), 'p', errs)).toBeUndefined();
    expect(jdResourcesOf(c({ requests: {} }), 'p', errs)).toBeUndefined();
    expect(jdResourcesOf(c({ limits: { memory: '1Gi' } }), 'p', errs)).toEqual({
      limits: { memoryMB: '1024Mi' },
    });
  });

  it('refuses resources JD cannot size, on their exact key', () => {
    const errs: FieldError[] = [];
    jdResourcesOf(
      c({ limits: { 'nvidia.com/gpu': '1' }, requests: { 'ephemeral-storage': '1Gi' } }),
      'spec.containers[1]',
      errs,
    );
    expect(errs.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.containers[1].resources.requests[ephemeral-storage]: Unsupported value: "ephemeral-storage": supported values: "cpu", "memory"',
      'spec.containers[1].resources.limits[nvidia.com/gpu]: Unsupported value: "nvidia.com/gpu": supported values: "cpu", "memory"',
    ]);
  });
});

describe('podAmounts', () => {
  it('sums app containers, falling back from request to limit', () => {
    expect(
      podAmounts({
        containers: [
          c({ requests: { cpu: '500m', memory: '256Mi' } }),
          c({ limits: { cpu: '1', memory: '1Gi' } }),
          c(undefined),
        ],
      }),
    ).toEqual({ cpuMillis: 1500, memoryMiB: 1280 });
  });

  it('lets a larger init container win, one dimension at a time', () => {
    expect(
      podAmounts({
        containers: [c({ requests: { cpu: '500m', memory: '2Gi' } })],
        initContainers: [c({ requests: { cpu: '2', memory: '128Mi' } }, 'init')],
      }),
    ).toEqual({ cpuMillis: 2000, memoryMiB: 2048 });
  });
});
