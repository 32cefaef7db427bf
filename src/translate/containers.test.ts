import { describe, expect, it } from 'vitest';
import type { Container } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { jdContainerCommon } from './containers';
import { lines } from './test-fixtures';

function translate(c: Partial<Container>) {
  const errs: FieldError[] = [];
  const out = jdContainerCommon(
    { name: 'app', image: 'nginx', ...c },
    'spec.containers[0]',
    undefined,
    errs,
  );
  return { out, errors: lines(errs) };
}

describe('jdContainerCommon', () => {
  it('sends only what is set', () => {
    expect(translate({})).toEqual({ out: { name: 'app', image: 'nginx' }, errors: [] });
  });

  it('holds JD’s length limits', () => {
    const r = translate({
      command: ['x'.repeat(257)],
      args: ['y'.repeat(2049)],
      workingDir: 'relative',
      image: 'i'.repeat(640),
    });
    expect(r.errors.map((e) => e.replace(/"[^"]{30,}"/, '"…"'))).toEqual([
      'spec.containers[0].image: Invalid value: "…": must have at most 639 characters (JD Cloud limit)',
      'spec.containers[0].command: Invalid value: "…": must have at most 256 characters in all (JD Cloud limit)',
      'spec.containers[0].args: Invalid value: "…": must have at most 2048 characters in all (JD Cloud limit)',
      'spec.containers[0].workingDir: Invalid value: "relative": must be an absolute path of at most 1024 characters (JD Cloud limit)',
    ]);
  });

  it('refuses env names JD rejects and values from elsewhere', () => {
    expect(
      translate({
        env: [
          { name: 'my.var', value: 'x' },
          { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          { name: 'JAVA_OPTS', value: '-Xmx1g' },
        ],
        envFrom: [{ configMapRef: { name: 'cm' } }],
      }).errors,
    ).toEqual([
      'spec.containers[0].envFrom: Forbidden: not supported by JD Cloud pods',
      `spec.containers[0].env[0].name: Invalid value: "my.var": must be 1-64 letters, digits or '_' (JD Cloud limit)`,
      'spec.containers[0].env[1].valueFrom: Unsupported value: "secretKeyRef"',
    ]);
  });

  it('accepts the apiserver’s defaults and refuses other values', () => {
    expect(
      translate({
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
        securityContext: {},
      }).errors,
    ).toEqual([]);
    expect(
      translate({
        terminationMessagePolicy: 'FallbackToLogsOnError',
        imagePullPolicy: 'Never',
        stdin: true,
      }).errors,
    ).toEqual([
      'spec.containers[0].stdin: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].terminationMessagePolicy: Unsupported value: "FallbackToLogsOnError": supported values: "File"',
      'spec.containers[0].imagePullPolicy: Unsupported value: "Never": supported values: "Always", "IfNotPresent"',
    ]);
  });

  it('checks mounts against JD’s rules', () => {
    expect(
      translate({
        volumeMounts: [
          { name: 'a', mountPath: '/' },
          { name: 'b', mountPath: '/b', subPathExpr: '$(POD)' },
          { name: 'c', mountPath: '/c', mountPropagation: 'Bidirectional' },
        ],
      }).errors,
    ).toEqual([
      'spec.containers[0].volumeMounts[0].mountPath: Invalid value: "/": must not be the root directory (JD Cloud limit)',
      'spec.containers[0].volumeMounts[1].subPathExpr: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].volumeMounts[2].mountPropagation: Unsupported value: "Bidirectional": supported values: "None"',
    ]);
  });

  it('resolves named probe ports and refuses what JD probes lack', () => {
    const r = translate({
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: {
        httpGet: { port: 'http', scheme: 'HTTPS', httpHeaders: [{ name: 'X-A', value: '1' }] },
      },
      readinessProbe: { tcpSocket: { port: 'grpc', host: '10.0.0.1' } },
    });
    expect(r.out.livenessProbe?.httpGet).toEqual({
      scheme: 'https',
      port: 8080,
      path: '/',
      httpHeader: [{ name: 'X-A', value: '1' }],
    });
    expect(r.errors).toEqual([
      'spec.containers[0].readinessProbe.tcpSocket.host: Forbidden: not supported by JD Cloud pods',
      'spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "grpc": must name a port of this container',
    ]);
    expect(translate({ livenessProbe: { grpc: { port: 9000 } } }).errors).toEqual([
      'spec.containers[0].livenessProbe.grpc: Forbidden: not supported by JD Cloud pods',
    ]);
  });
});
