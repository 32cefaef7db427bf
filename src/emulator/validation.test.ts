import { describe, expect, it } from 'vitest';
import { createPodsBody, rebuildPodBody } from './pod-spec-schema';
import { fieldPath, parseParams, withoutNulls } from './validation';

const spec = (
  overrides: Record<string, unknown> = {},
  container: Record<string, unknown> = {},
) => ({
  name: 'web',
  instanceType: 'g.n2.medium',
  az: 'cn-north-1a',
  containers: [{ name: 'app', image: 'nginx', systemDisk: { sizeGB: 20 }, ...container }],
  primaryNetworkInterface: { networkInterface: { subnetId: 'subnet-a1' } },
  ...overrides,
});

/** The INVALID_ARGUMENT message for a createPods body, or '' when it is valid. */
const problem = (body: unknown) => {
  try {
    parseParams(createPodsBody, body);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('createPods validation', () => {
  it('accepts a minimal body and ignores unknown keys and nulls', () => {
    expect(problem({ podSpec: spec(), maxCount: 1 })).toBe('');
    const parsed = parseParams(createPodsBody, {
      podSpec: spec({ description: null }),
      maxCount: 1,
      regionId: 'x',
    });
    expect(parsed).not.toHaveProperty('regionId');
    expect(parsed.podSpec).not.toHaveProperty('description');
  });

  it.each([
    [{ podSpec: spec(), maxCount: 0 }, 'maxCount: must be in [1,100]'],
    [{ podSpec: spec(), maxCount: 1.5 }, 'maxCount: must be an integer in [1,100]'],
    [{ podSpec: spec() }, 'maxCount: is required'],
    [
      { podSpec: spec({ containers: [] }), maxCount: 1 },
      'podSpec.containers: must have between 1 and 8 items',
    ],
    [{ podSpec: spec({}, { systemDisk: { sizeGB: 30 } }), maxCount: 1 }, ''],
    [
      { podSpec: spec({}, { systemDisk: { sizeGB: 35 } }), maxCount: 1 },
      'podSpec.containers[0].systemDisk.sizeGB',
    ],
    [
      { podSpec: spec({}, { systemDisk: { sizeGB: 110 } }), maxCount: 1 },
      'podSpec.containers[0].systemDisk.sizeGB',
    ],
    [
      { podSpec: spec({}, { systemDisk: undefined }), maxCount: 1 },
      'podSpec.containers[0].systemDisk: is required',
    ],
    [{ podSpec: spec({}, { env: [{ name: 'JAVA_OPTS', value: '-Xmx1g' }] }), maxCount: 1 }, ''],
    [
      { podSpec: spec({}, { env: [{ name: 'BAD-NAME' }] }), maxCount: 1 },
      'podSpec.containers[0].env[0].name',
    ],
    [
      { podSpec: spec({}, { livenessProbe: { periodSeconds: 0 } }), maxCount: 1 },
      'podSpec.containers[0].livenessProbe.periodSeconds',
    ],
    [
      { podSpec: spec({}, { readinessProbe: { failureThreshold: 11 } }), maxCount: 1 },
      'readinessProbe.failureThreshold',
    ],
    [
      {
        podSpec: spec({}, { livenessProbe: { httpGet: { port: 70000, path: '/' } } }),
        maxCount: 1,
      },
      'livenessProbe.httpGet.port',
    ],
    [
      { podSpec: spec({}, { command: ['x'.repeat(257)] }), maxCount: 1 },
      'podSpec.containers[0].command',
    ],
    [
      { podSpec: spec({ name: 'UPPER' }), maxCount: 1 },
      'podSpec.name: must be a DNS-1123 subdomain',
    ],
    [{ podSpec: spec({ hostname: '-bad' }), maxCount: 1 }, 'podSpec.hostname'],
    [
      { podSpec: spec({ terminationGracePeriodSeconds: 301 }), maxCount: 1 },
      'podSpec.terminationGracePeriodSeconds',
    ],
    [
      {
        podSpec: spec({
          volumes: [{ name: 'data', jdcloudDisk: { fsType: 'xfs', sizeGB: 4010 } }],
        }),
        maxCount: 1,
      },
      'podSpec.volumes[0].jdcloudDisk.sizeGB',
    ],
    [
      { podSpec: spec({ volumes: [{ name: 'data', jdcloudDisk: { sizeGB: 40 } }] }), maxCount: 1 },
      'podSpec.volumes[0].jdcloudDisk.fsType: is required',
    ],
    [
      {
        podSpec: spec({
          volumes: [{ name: 'data', jdcloudDisk: { fsType: 'xfs', volumeId: 'disk-1' } }],
        }),
        maxCount: 1,
      },
      'volumeId: must be an id of the form vol-xxxx',
    ],
    [
      { podSpec: spec({}, { volumeMounts: [{ name: 'nope', mountPath: '/data' }] }), maxCount: 1 },
      'podSpec.containers[0].volumeMounts[0].name',
    ],
    [
      { podSpec: spec({ elasticIp: { bandwidthMbps: 101 } }), maxCount: 1 },
      'podSpec.elasticIp.bandwidthMbps',
    ],
    [
      { podSpec: spec({ dnsConfig: { nameservers: Array(21).fill('8.8.8.8') } }), maxCount: 1 },
      'podSpec.dnsConfig.nameservers',
    ],
    [
      {
        podSpec: spec({ hostAliases: Array(11).fill({ hostnames: ['a'], ip: '1.1.1.1' }) }),
        maxCount: 1,
      },
      'podSpec.hostAliases',
    ],
    [
      {
        podSpec: spec({
          primaryNetworkInterface: {
            networkInterface: {
              subnetId: 'subnet-a',
              securityGroups: ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'],
            },
          },
        }),
        maxCount: 1,
      },
      'networkInterface.securityGroups',
    ],
    [
      {
        podSpec: spec({
          primaryNetworkInterface: {
            networkInterface: { subnetId: 'subnet-a', primaryIpAddress: '10.0.0.9' },
          },
        }),
        maxCount: 2,
      },
      'maxCount: must be 1',
    ],
    [
      {
        podSpec: spec({
          containers: [
            { name: 'a', image: 'x', systemDisk: {} },
            { name: 'a', image: 'y', systemDisk: {} },
          ],
        }),
        maxCount: 1,
      },
      'podSpec.containers[1].name: duplicate',
    ],
    [{ podSpec: spec(), maxCount: 1, clientToken: 'x'.repeat(65) }, 'clientToken'],
  ])('%# → %s', (body, expected) => {
    const message = problem(body);
    if (expected === '') expect(message).toBe('');
    else expect(message).toContain(expected);
  });
});

describe('rebuildPod validation', () => {
  it('requires containers with name and image', () => {
    expect(() => parseParams(rebuildPodBody, {})).toThrow('containers: is required');
    expect(() => parseParams(rebuildPodBody, { containers: [{ name: 'app' }] })).toThrow(
      'containers[0].image: is required',
    );
    expect(
      parseParams(rebuildPodBody, {
        containers: [{ name: 'app', image: 'nginx:2', podId: 'ignored' }],
      }),
    ).toEqual({
      containers: [{ name: 'app', image: 'nginx:2' }],
    });
  });
});

describe('helpers', () => {
  it('formats field paths like JD docs', () => {
    expect(fieldPath(['podSpec', 'containers', 0, 'env', 2, 'name'])).toBe(
      'podSpec.containers[0].env[2].name',
    );
  });

  it('drops nulls recursively, keeping arrays', () => {
    expect(withoutNulls({ a: null, b: [{ c: null, d: 1 }], e: { f: null } })).toEqual({
      b: [{ d: 1 }],
      e: {},
    });
  });
});
