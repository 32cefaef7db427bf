import { describe, expect, it } from 'vitest';
import { decodePod, type Pod } from './pod';
import { ensureNamespaceMatches, prepareForCreate, qosClass } from './prepare-create';
import { formatFieldError, invalid, StatusError } from './status';
import { validatePodCreate } from './validate-create';

const ctx = { uid: 'u-1', now: new Date('2024-05-01T10:00:00.123Z'), namespace: 'default' };
const prepared = (json: unknown): Pod => prepareForCreate(decodePod(json), ctx);
const errorsOf = (json: unknown) =>
  validatePodCreate(prepared(json), 'default').map(formatFieldError);
const good = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] },
};

describe('validatePodCreate', () => {
  it('accepts a minimal pod', () => {
    expect(errorsOf(good)).toEqual([]);
  });

  it('requires a name or generateName', () => {
    expect(errorsOf({ spec: good.spec })).toEqual([
      'metadata.name: Required value: name or generateName is required',
    ]);
    expect(errorsOf({ metadata: { generateName: 'web-' }, spec: good.spec })).toEqual([]);
  });

  it('rejects a bad name with the exact RFC 1123 message', () => {
    expect(errorsOf({ ...good, metadata: { name: 'Foo' } })).toEqual([
      `metadata.name: Invalid value: "Foo": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('validates labels and annotations', () => {
    const errs = errorsOf({
      ...good,
      metadata: {
        name: 'web',
        labels: { 'bad key!': 'x', ok: 'bad value' },
        annotations: { a: 'x'.repeat(262144) },
      },
    });
    expect(errs[0]).toMatch(/^metadata\.labels: Invalid value: "bad key!": name part must consist/);
    expect(errs[1]).toMatch(/^metadata\.labels: Invalid value: "bad value": a valid label must/);
    expect(errs[2]).toBe('metadata.annotations: Too long: may not be more than 262144 bytes');
  });

  it('requires containers, names and images', () => {
    expect(errorsOf({ metadata: { name: 'web' } })).toEqual(['spec.containers: Required value']);
    expect(
      errorsOf({
        metadata: { name: 'web' },
        spec: { containers: [{ image: 'x' }, { name: 'c', image: ' x' }, { name: 'c' }] },
      }),
    ).toEqual([
      'spec.containers[0].name: Required value',
      'spec.containers[1].image: Invalid value: " x": must not have leading or trailing whitespace',
      'spec.containers[2].name: Duplicate value: "c"',
      'spec.containers[2].image: Required value',
    ]);
  });

  it('checks enums, ports, env, mounts and probes', () => {
    const errs = errorsOf({
      metadata: { name: 'web' },
      spec: {
        restartPolicy: 'Sometimes',
        containers: [
          {
            name: 'c',
            image: 'x',
            ports: [{ containerPort: 70000 }, { containerPort: 80, protocol: 'ICMP' }],
            env: [{ name: '1BAD' }],
            volumeMounts: [{ name: 'nope', mountPath: '/a' }],
            livenessProbe: { successThreshold: 2 },
            resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
          },
        ],
      },
    });
    expect(errs).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
      expect.stringMatching(
        /^spec\.containers\[0\]\.env\[0\]\.name: Invalid value: "1BAD": a valid environment variable name/,
      ),
      'spec.containers[0].volumeMounts[0].name: Not found: "nope"',
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('checks tolerations and activeDeadlineSeconds', () => {
    expect(
      errorsOf({
        ...good,
        spec: {
          ...good.spec,
          activeDeadlineSeconds: 0,
          tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }],
        },
      }),
    ).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
      expect.stringMatching(
        /^spec\.tolerations\[0\]\.operator: Invalid value: \{.*\}: value must be empty when `operator` is 'Exists'$/,
      ),
    ]);
  });

  it('renders into the 422 kubectl prints', () => {
    const e = invalid(
      'Pod',
      'web',
      validatePodCreate(prepared({ metadata: { name: 'web' } }), 'default'),
    );
    expect(e.status.message).toBe('Pod "web" is invalid: spec.containers: Required value');
  });
});

describe('prepareForCreate', () => {
  it('sets identity and apiserver defaults, and resets status', () => {
    const pod = prepared({
      ...good,
      metadata: { name: 'web', resourceVersion: '9', deletionTimestamp: 'x' },
      status: { phase: 'Running', podIP: '1.2.3.4' },
    });
    expect(pod.metadata).toMatchObject({
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      generation: 1,
      creationTimestamp: '2024-05-01T10:00:00Z',
    });
    expect(pod.metadata.resourceVersion).toBeUndefined();
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
    expect(pod.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
    });
    expect(pod.spec.containers[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('pulls untagged and latest images Always', () => {
    const pod = prepared({
      metadata: { name: 'w' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'reg:5000/nginx:latest' },
          { name: 'c', image: 'reg:5000/nginx' },
        ],
      },
    });
    expect(pod.spec.containers.map((c) => c.imagePullPolicy)).toEqual([
      'Always',
      'Always',
      'Always',
    ]);
  });

  it('generates a name from generateName and defaults requests from limits', () => {
    const pod = prepareForCreate(
      decodePod({
        metadata: { generateName: 'web-' },
        spec: {
          containers: [
            { name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } },
          ],
        },
      }),
      { ...ctx, nameSuffix: 'abcde' },
    );
    expect(pod.metadata.name).toBe('web-abcde');
    expect(pod.spec.containers[0]?.resources?.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(pod.status.qosClass).toBe('Guaranteed');
  });

  it('computes Burstable QoS', () => {
    expect(qosClass({ containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] })).toBe(
      'Burstable',
    );
  });
});

describe('ensureNamespaceMatches', () => {
  it('throws the 400 on a mismatch and accepts an empty namespace', () => {
    expect(() => ensureNamespaceMatches(decodePod({ metadata: {} }), 'a')).not.toThrow();
    expect(() => ensureNamespaceMatches(decodePod({ metadata: { namespace: 'b' } }), 'a')).toThrow(
      StatusError,
    );
  });
});
