import { describe, expect, it } from 'vitest';
import { type JdPod, jdPod } from '../jdcloud/models';
import { specFromJd } from './jd-spec';
import { podToCreateSpec } from './pod-to-jd';
import { CATALOGUE, NS, preparedPod } from './test-fixtures';

/** What describePod would return for a pod created from `podSpec` (JD echoes the spec back). */
function described(pod: ReturnType<typeof preparedPod>): JdPod {
  const r = podToCreateSpec(pod, NS, CATALOGUE);
  if (!r.ok) throw new Error('translation failed');
  const { podSpec } = r.value;
  // Through the response schema, as the JD client decodes describePod.
  return jdPod.parse({
    podId: 'pod-1',
    name: podSpec.name,
    hostname: podSpec.hostname,
    restartPolicy: podSpec.restartPolicy,
    terminationGracePeriodSeconds: podSpec.terminationGracePeriodSeconds,
    dnsConfig: podSpec.dnsConfig,
    hostAliases: podSpec.hostAliases,
    volumes: podSpec.volumes,
    containers: podSpec.containers,
  });
}

describe('specFromJd', () => {
  it('reads back what podToCreateSpec sent', () => {
    const pod = preparedPod({
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 10,
        imagePullSecrets: [{ name: 'regcred' }],
        hostAliases: [{ ip: '10.0.0.9', hostnames: ['db.local'] }],
        volumes: [
          { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
          {
            name: 'data',
            csi: { driver: 'disk.csi.jdcloud.com', volumeAttributes: { sizeGB: '50' } },
          },
        ],
        initContainers: [{ name: 'init', image: 'busybox', command: ['true'] }],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.25',
            args: ['-g', 'daemon off;'],
            env: [{ name: 'A', value: '1' }],
            workingDir: '/srv',
            resources: { requests: { cpu: '250m', memory: '64Mi' } },
            volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
            readinessProbe: { httpGet: { port: 80, path: '/ready' }, periodSeconds: 5 },
          },
        ],
      },
    });
    const spec = specFromJd(described(pod));
    expect(spec).toEqual({
      volumes: [
        { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
        {
          name: 'data',
          csi: {
            driver: 'disk.csi.jdcloud.com',
            fsType: 'xfs',
            volumeAttributes: { sizeGB: '50' },
          },
        },
      ],
      initContainers: [{ name: 'init', image: 'busybox', command: ['true'], resources: {} }],
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          args: ['-g', 'daemon off;'],
          workingDir: '/srv',
          env: [{ name: 'A', value: '1' }],
          resources: { requests: { cpu: '250m', memory: '64Mi' } },
          volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
          readinessProbe: {
            initialDelaySeconds: 0,
            periodSeconds: 5,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
            httpGet: { port: 80, path: '/ready', scheme: 'HTTP' },
          },
        },
      ],
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 10,
      dnsPolicy: 'ClusterFirst',
      imagePullSecrets: [{ name: 'regcred' }],
      hostAliases: [{ ip: '10.0.0.9', hostnames: ['db.local'] }],
    });
    // …and the recovered spec translates to the same JD containers again.
    const again = podToCreateSpec(preparedPod({ spec }), NS, CATALOGUE);
    const first = podToCreateSpec(pod, NS, CATALOGUE);
    expect(again.ok && first.ok && again.value.podSpec.containers).toEqual(
      first.ok && first.value.podSpec.containers,
    );
  });

  it('keeps a user-set hostname and drops the derived or JD default one', () => {
    const base: JdPod = { podId: 'pod-1', name: 'pg.default.web', containers: [] };
    expect(specFromJd({ ...base, hostname: 'web' })).not.toHaveProperty('hostname');
    expect(specFromJd({ ...base, hostname: 'pod-1' })).not.toHaveProperty('hostname');
    expect(specFromJd({ ...base, hostname: 'box' }).hostname).toBe('box');
  });
});
