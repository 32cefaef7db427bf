import { describe, expect, it } from 'vitest';
import { applyFieldValidation, unknownFields } from './unknown-fields';

describe('unknownFields', () => {
  it('treats Object.prototype names as unknown fields, not as schemas', () => {
    const body = JSON.parse('{"valueOf":null,"metadata":{"toString":1,"constructor":{}}}');
    expect(unknownFields(body)).toEqual(['valueOf', 'metadata.toString', 'metadata.constructor']);
  });

  it('finds nothing in a pod made of core/v1 fields, including refused ones', () => {
    expect(
      unknownFields({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { 'any-key': 'v' }, creationTimestamp: null },
        spec: {
          nodeSelector: { disk: 'ssd' },
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } },
          containers: [
            {
              name: 'c',
              image: 'x',
              resources: { limits: { cpu: '1' } },
              livenessProbe: { httpGet: { port: 80, path: '/' } },
              env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
            },
          ],
          volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'a', path: 'b' }] } }],
        },
        status: { phase: 'Running', containerStatuses: [{ name: 'c', state: { running: {} } }] },
      }),
    ).toEqual([]);
  });

  it('reports unknown fields by path', () => {
    expect(
      unknownFields({
        metadata: { name: 'web', nam: 'typo' },
        spec: {
          foo: 1,
          containers: [{ name: 'c', imag: 'x', ports: [{ containerPort: 80, hostport: 1 }] }],
        },
        extra: true,
      }),
    ).toEqual([
      'metadata.nam',
      'spec.foo',
      'spec.containers[0].imag',
      'spec.containers[0].ports[0].hostport',
      'extra',
    ]);
  });
});

describe('applyFieldValidation', () => {
  const body = {
    metadata: { name: 'web', bogus: 1 },
    spec: { containers: [{ name: 'app', image: 'nginx', imagePullPolice: 'Always' }] },
  };

  it('refuses unknown fields under Strict with the decoder message', () => {
    expect(() => applyFieldValidation(body, 'Strict')).toThrow(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.bogus", unknown field "spec.containers[0].imagePullPolice"',
    );
  });

  it('drops them under Warn (the default), saying so, and silently under Ignore', () => {
    const warned = applyFieldValidation(body);
    expect(warned.warnings).toEqual([
      'unknown field "metadata.bogus"',
      'unknown field "spec.containers[0].imagePullPolice"',
    ]);
    expect(warned.json).toEqual({
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    expect(applyFieldValidation(body, 'Ignore').warnings).toEqual([]);
    expect(body.metadata.bogus).toBe(1);
  });
});

describe('applyFieldValidation on a strategic merge patch', () => {
  it('keeps $ directives and still finds unknown fields', () => {
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolice: 'x' }],
      },
    };
    const { json, warnings } = applyFieldValidation(patch, 'Warn', { patchDirectives: true });
    expect(warnings).toEqual(['unknown field "spec.containers[0].imagePullPolice"']);
    expect(json).toEqual({
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      },
    });
  });
});
