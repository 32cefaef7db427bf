import { describe, expect, it } from 'vitest';
import type { FieldError } from '../k8s/status';
import {
  needsCatalogue,
  podToCreateSpec,
  podToRebuildContainers,
  type Translated,
} from './pod-to-jd';
import { CATALOGUE, lines, NS, preparedPod, UID } from './test-fixtures';

function ok<T>(r: Translated<T>): T {
  if (!r.ok) throw new Error(`unexpected errors: ${lines(r.errors).join('; ')}`);
  return r.value;
}
function errors<T>(r: Translated<T>): string[] {
  if (r.ok) throw new Error('expected errors');
  return lines(r.errors as FieldError[]);
}
const create = (
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = { name: 'web' },
) => podToCreateSpec(preparedPod({ metadata, spec }), NS, CATALOGUE);

const nginx = { name: 'app', image: 'nginx:1.25' };

describe('podToCreateSpec', () => {
  it('translates a minimal pod with the namespace defaults', () => {
    const { podSpec, clientToken } = ok(create({ containers: [nginx] }));
    expect(clientToken).toBe(`pg-${UID}`);
    expect(podSpec).toEqual({
      name: 'pg.default.web',
      hostname: 'web',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      instanceType: 'g.n2.medium',
      az: 'cn-north-1a',
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          systemDisk: { category: 'cloud', diskType: 'ssd.gp1', sizeGB: 20, autoDelete: true },
        },
      ],
      primaryNetworkInterface: {
        autoDelete: true,
        deviceIndex: 1,
        networkInterface: { subnetId: 'subnet-dev0north', securityGroups: ['sg-dev0north'] },
      },
      userTags: [
        { key: 'podgate.namespace', value: 'default' },
        { key: 'podgate.name', value: 'web' },
        { key: 'podgate.uid', value: UID },
        { key: 'podgate.created', value: '2024-01-02T03:04:05Z' },
      ],
    });
  });

  it('carries every container field JD has', () => {
    const { podSpec } = ok(
      create({
        restartPolicy: 'OnFailure',
        terminationGracePeriodSeconds: 5,
        hostname: 'box',
        imagePullSecrets: [{ name: 'regcred' }],
        volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '64Mi' } }],
        initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
        containers: [
          {
            name: 'app',
            image: 'registry.example.com/app:2',
            command: ['/app'],
            args: ['--port', '8080'],
            workingDir: '/srv',
            tty: true,
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
              { name: 'A', value: '3' },
            ],
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: {
              requests: { cpu: '250m', memory: '64Mi' },
              limits: { cpu: 1, memory: '1Gi' },
            },
            volumeMounts: [{ name: 'scratch', mountPath: '/tmp/x', readOnly: true }],
            livenessProbe: { httpGet: { port: 'http', path: '/healthz' } },
            readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 3 },
          },
        ],
      }),
    );
    expect(podSpec).toMatchObject({
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: 5,
      hostname: 'box',
    });
    expect(podSpec.volumes).toEqual([{ name: 'scratch', emptyDir: { sizeMB: 64 } }]);
    const [init, app] = podSpec.containers;
    expect(init).toMatchObject({
      name: 'init',
      type: 'init',
      command: ['sh', '-c', 'true'],
      secret: 'regcred',
    });
    expect(app).toEqual({
      name: 'app',
      image: 'registry.example.com/app:2',
      command: ['/app'],
      args: ['--port', '8080'],
      env: [
        { name: 'A', value: '3' },
        { name: 'B', value: '2' },
      ],
      secret: 'regcred',
      tty: true,
      workingDir: '/srv',
      livenessProbe: {
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
        httpGet: { scheme: 'http', port: 8080, path: '/healthz' },
      },
      readinessProbe: {
        initialDelaySeconds: 3,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
        tcpSocket: { port: 8080 },
      },
      volumeMounts: [{ name: 'scratch', mountPath: '/tmp/x', readOnly: true }],
      resources: {
        requests: { cpu: '250m', memoryMB: '64Mi' },
        limits: { cpu: '1', memoryMB: '1024Mi' },
      },
      systemDisk: { category: 'cloud', diskType: 'ssd.gp1', sizeGB: 20, autoDelete: true },
    });
  });

  it('picks the smallest instance type that fits the summed requests', () => {
    const sized = (cpu: string, memory: string) =>
      ok(
        create({
          containers: [
            { ...nginx, resources: { requests: { cpu, memory } } },
            { name: 'b', image: 'b', resources: { limits: { cpu: '500m' } } },
          ],
        }),
      ).podSpec.instanceType;
    expect(sized('500m', '1Gi')).toBe('g.n2.medium');
    expect(sized('1', '1Gi')).toBe('c.n2.large');
    expect(sized('1', '6Gi')).toBe('g.n2.large');
    expect(sized('3', '1Gi')).toBe('g.n2.xlarge');
  });

  it('refuses requests no instance type can hold', () => {
    const big = create({ containers: [{ ...nginx, resources: { requests: { cpu: '16' } } }] });
    expect(errors(big)).toEqual([
      'spec.containers: Forbidden: the pod requests cpu 16, memory 0Mi; no JD Cloud instance type available in cn-north-1a is that large',
    ]);
  });

  it('takes JD choices from annotations', () => {
    const { podSpec } = ok(
      create(
        { containers: [nginx] },
        {
          name: 'web',
          annotations: {
            'jdcloud.com/instance-type': 'g.n2.large',
            'jdcloud.com/az': 'cn-north-1b',
            'jdcloud.com/subnet-id': 'subnet-other',
            'jdcloud.com/security-group-ids': 'sg-a, sg-b',
            'jdcloud.com/elastic-ip-bandwidth-mbps': '10',
            'jdcloud.com/elastic-ip-provider': 'no_bgp',
            'jdcloud.com/system-disk-type': 'ssd.io1',
            'jdcloud.com/system-disk-size-gb': '40',
          },
        },
      ),
    );
    expect(podSpec).toMatchObject({
      instanceType: 'g.n2.large',
      az: 'cn-north-1b',
      elasticIp: { bandwidthMbps: 10, provider: 'no_bgp' },
      primaryNetworkInterface: {
        networkInterface: { subnetId: 'subnet-other', securityGroups: ['sg-a', 'sg-b'] },
      },
    });
    expect(podSpec.containers[0]?.systemDisk).toEqual({
      category: 'cloud',
      diskType: 'ssd.io1',
      sizeGB: 40,
      autoDelete: true,
    });
  });

  it('refuses what JD Cloud cannot honour, each on its exact path', () => {
    const r = create({
      nodeSelector: { disk: 'ssd' },
      nodeName: 'node-1',
      hostNetwork: true,
      affinity: { nodeAffinity: { x: 1 } },
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        { key: 'gpu', operator: 'Exists' },
      ],
      serviceAccountName: 'robot',
      imagePullSecrets: [{ name: 'a' }, { name: 'b' }],
      volumes: [
        { name: 'h', hostPath: { path: '/var' } },
        { name: 'c', configMap: { name: 'cm' } },
      ],
      containers: [
        {
          ...nginx,
          ports: [{ containerPort: 80, hostPort: 8080 }],
          securityContext: { privileged: true },
          env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          startupProbe: { exec: { command: ['true'] } },
          volumeMounts: [{ name: 'h', mountPath: '/h' }],
        },
      ],
    });
    expect(errors(r)).toEqual([
      'spec.nodeSelector: Forbidden: not supported by JD Cloud pods',
      'spec.nodeName: Forbidden: not supported by JD Cloud pods',
      'spec.affinity: Forbidden: not supported by JD Cloud pods',
      'spec.hostNetwork: Forbidden: not supported by JD Cloud pods',
      'spec.tolerations[1]: Forbidden: not supported by JD Cloud pods',
      'spec.serviceAccountName: Unsupported value: "robot": supported values: "default"',
      'spec.imagePullSecrets: Too many: 2: must have at most 1 items',
      'spec.containers[0].startupProbe: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].securityContext.privileged: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].ports[0].hostPort: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].env[0].valueFrom: Unsupported value: "fieldRef"',
      'spec.volumes[0]: Unsupported value: "hostPath": supported values: "csi", "emptyDir"',
      'spec.volumes[1]: Unsupported value: "configMap": supported values: "csi", "emptyDir"',
    ]);
  });

  it('counts init containers against JD’s 8', () => {
    const many = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, image: 'x' }));
    expect(errors(create({ containers: many(9, 'c') }))).toEqual([
      'spec.containers: Too many: 9: must have at most 8 items',
    ]);
    expect(errors(create({ containers: many(6, 'c'), initContainers: many(3, 'i') }))).toEqual([
      'spec.initContainers: Too many: 3: must have at most 2 items',
    ]);
    expect(
      ok(create({ containers: many(6, 'c'), initContainers: many(2, 'i') })).podSpec.containers,
    ).toHaveLength(8);
  });

  it('checks JD ranges on probes and the grace period', () => {
    const r = create({
      terminationGracePeriodSeconds: 600,
      containers: [
        {
          ...nginx,
          livenessProbe: { exec: { command: ['true'] }, periodSeconds: 301, failureThreshold: 11 },
        },
      ],
    });
    expect(errors(r)).toEqual([
      'spec.containers[0].livenessProbe.periodSeconds: Invalid value: 301: must be between 1 and 300, inclusive (JD Cloud limit)',
      'spec.containers[0].livenessProbe.failureThreshold: Invalid value: 11: must be between 1 and 10, inclusive (JD Cloud limit)',
      'spec.terminationGracePeriodSeconds: Invalid value: 600: must be between 0 and 300, inclusive (JD Cloud limit)',
    ]);
  });

  it('defaults the hostname to the pod name cut to 63 characters', () => {
    const name = `${'a'.repeat(62)}.b`;
    expect(ok(create({ containers: [nginx] }, { name })).podSpec.hostname).toBe('a'.repeat(62));
  });

  it('maps dnsConfig and hostAliases within JD limits', () => {
    const { podSpec } = ok(
      create({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['10.0.0.2'],
          searches: ['svc.local'],
          options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
        },
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db.local'] }],
        containers: [nginx],
      }),
    );
    expect(podSpec.dnsConfig).toEqual({
      nameservers: ['10.0.0.2'],
      searches: ['svc.local'],
      options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }],
    });
    expect(podSpec.hostAliases).toEqual([{ ip: '10.0.0.9', hostnames: ['db.local'] }]);
    expect(
      errors(
        create({
          dnsConfig: { nameservers: ['fd00::1'] },
          hostAliases: [{ ip: 'fd00::2', hostnames: ['x'] }],
          containers: [nginx],
        }),
      ),
    ).toEqual([
      'spec.dnsConfig.nameservers[0]: Invalid value: "fd00::1": must be an IPv4 address (JD Cloud limit)',
      'spec.hostAliases[0].ip: Invalid value: "fd00::2": must be an IPv4 address (JD Cloud limit)',
    ]);
  });
});

describe('podToRebuildContainers', () => {
  it('sends every container’s full spec with the current images, sharing the create mapping', () => {
    const pod = preparedPod({
      spec: {
        imagePullSecrets: [{ name: 'regcred' }],
        initContainers: [{ name: 'init', image: 'busybox:2' }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.26',
            command: ['nginx'],
            env: [{ name: 'MODE', value: 'prod' }],
            readinessProbe: { httpGet: { port: 80 } },
            resources: { limits: { cpu: '1' } },
          },
        ],
      },
    });
    const rebuild = ok(podToRebuildContainers(pod));
    const created = ok(podToCreateSpec(pod, NS, CATALOGUE)).podSpec.containers;
    expect(rebuild.map((c) => c.image)).toEqual(['busybox:2', 'nginx:1.26']);
    // Same fields as create, minus what rebuildPod does not take.
    expect(rebuild).toEqual(created.map(({ resources, systemDisk, type, ...common }) => common));
    expect(rebuild[1]).toMatchObject({
      command: ['nginx'],
      env: [{ name: 'MODE', value: 'prod' }],
      secret: 'regcred',
    });
    expect(rebuild[1]).not.toHaveProperty('resources');
  });
});

describe('needsCatalogue', () => {
  const pod = (
    resources: Record<string, unknown> | undefined,
    annotations?: Record<string, string>,
  ) =>
    preparedPod({
      metadata: { name: 'web', annotations },
      spec: { containers: [{ ...nginx, resources }] },
    });

  it('is needed only when requests choose the type', () => {
    expect(needsCatalogue(pod(undefined))).toBe(false);
    expect(needsCatalogue(pod({ limits: { memory: '1Gi' } }))).toBe(true);
    expect(
      needsCatalogue(
        pod({ requests: { cpu: '1' } }, { 'jdcloud.com/instance-type': 'g.n2.large' }),
      ),
    ).toBe(false);
  });
});
