import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { decodePod, podSchema, type StatusObject, statusSchema } from './pod';
import { notFound, type Status, StatusError } from './status';

describe('podSchema', () => {
  it('keeps unknown keys so nothing is dropped silently', () => {
    const pod = podSchema.parse({
      metadata: { name: 'web', extra: 1 },
      spec: { containers: [{ name: 'c', image: 'nginx', future: true }], foo: 'bar' },
    });
    expect(pod.spec.foo).toBe('bar');
    expect(pod.metadata.extra).toBe(1);
    expect(pod.spec.containers[0]?.future).toBe(true);
  });

  it('decodes missing required scalars to Go zero values for validation to report', () => {
    const pod = podSchema.parse({ spec: { containers: [{ image: 'x' }] } });
    expect(pod.spec.containers[0]?.name).toBe('');
    expect(podSchema.parse({}).spec.containers).toEqual([]);
  });

  it('models fields podgate refuses, with their types', () => {
    const pod = podSchema.parse({
      spec: {
        containers: [
          {
            name: 'c',
            ports: [{ containerPort: 80 }],
            resources: { limits: { cpu: '500m', memory: 1024 } },
            livenessProbe: { httpGet: { port: 'http', path: '/' } },
            env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
        nodeSelector: { disk: 'ssd' },
        volumes: [{ name: 'v', emptyDir: {} }],
        tolerations: [{ key: 'k', operator: 'Exists' }],
      },
    });
    expect(pod.spec.volumes?.[0]?.emptyDir).toEqual({});
    expect(() => podSchema.parse({ spec: { hostNetwork: 'yes' } })).toThrow();
  });

  it('registers OpenAPI ids', () => {
    expect(z.globalRegistry.get(podSchema)?.id).toBe('Pod');
  });
});

describe('decodePod', () => {
  it('ignores nulls like the Go decoder (kubectl -o yaml writes creationTimestamp: null)', () => {
    const pod = decodePod({
      metadata: { name: 'web', creationTimestamp: null },
      spec: { containers: [{ name: 'c', image: 'x', resources: {} }] },
      status: {},
    });
    expect(pod.metadata.creationTimestamp).toBeUndefined();
  });

  it('rejects a type mismatch with a 400', () => {
    try {
      decodePod({ spec: { containers: [{ name: 'c', ports: [{ containerPort: 'x' }] }] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      const s = (e as StatusError).status;
      expect(s.code).toBe(400);
      expect(s.message).toMatch(
        /^Pod in version "v1" cannot be handled as a Pod: .*spec\.containers\.0\.ports\.0\.containerPort/,
      );
    }
  });
});

describe('statusSchema', () => {
  it('accepts what status.ts builds', () => {
    expectTypeOf<Status>().toExtend<StatusObject>();
    expect(() => statusSchema.parse(notFound('x').status)).not.toThrow();
  });
});
