/**
 * One Kubernetes container → the JD container fields createPods and rebuildPod share. Both
 * operations go through `jdContainerCommon`, so a rollout re-sends exactly what create sent
 * (command, args, env, probes, mounts), with only the image new.
 */

import type { JdRebuildContainerSpec } from '../jdcloud/models';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../k8s/field-errors';
import type { Container } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { NOT_ON_JDCLOUD } from './field-errors';
import { jdProbeOf } from './probes';

/** JD ContainerSpec limits (seed 003). */
const LIMITS = {
  command: 256,
  args: 2048,
  env: 100,
  envName: 64,
  envValue: 1024,
  image: 639,
  path: 1024,
};
/** JD's env names: letters, digits and `_` (the seed's prose; its regex omits `_`). */
const JD_ENV_NAME = /^[A-Za-z0-9_]+$/;
/** Values the apiserver defaults these to; any other value asks for something JD cannot do. */
const DEFAULTED = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};
const PULL_POLICIES = ['Always', 'IfNotPresent'];

/** Container fields JD has no equivalent for, refused when set to anything but empty/false. */
const REFUSED = [
  'envFrom',
  'startupProbe',
  'lifecycle',
  'stdin',
  'stdinOnce',
  'resizePolicy',
  'restartPolicy',
  'volumeDevices',
] as const;

const isSet = (v: unknown) =>
  v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);

/** Refusals that do not produce any JD field. */
function refuseUnsupported(c: Container, path: string, errs: FieldError[]): void {
  for (const key of REFUSED)
    if (isSet(c[key])) errs.push(fieldForbidden(`${path}.${key}`, NOT_ON_JDCLOUD));
  for (const [key, value] of Object.entries(c.securityContext ?? {})) {
    if (value !== undefined)
      errs.push(fieldForbidden(`${path}.securityContext.${key}`, NOT_ON_JDCLOUD));
  }
  for (const key of ['terminationMessagePath', 'terminationMessagePolicy'] as const) {
    const value = c[key];
    if (value !== undefined && value !== DEFAULTED[key]) {
      errs.push(fieldNotSupported(`${path}.${key}`, value, [DEFAULTED[key]]));
    }
  }
  // JD pulls the image at create and rebuild; it cannot run one it never pulled.
  if (c.imagePullPolicy === 'Never') {
    errs.push(fieldNotSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  (c.ports ?? []).forEach((port, i) => {
    if (port.hostPort) errs.push(fieldForbidden(`${path}.ports[${i}].hostPort`, NOT_ON_JDCLOUD));
    if (port.hostIP) errs.push(fieldForbidden(`${path}.ports[${i}].hostIP`, NOT_ON_JDCLOUD));
  });
}

function totalLength(values: string[] | undefined, max: number, path: string, errs: FieldError[]) {
  if (values && values.join('').length > max) {
    errs.push(
      fieldInvalid(
        path,
        values.join(' '),
        `must have at most ${max} characters in all (JD Cloud limit)`,
      ),
    );
  }
}

function jdEnv(c: Container, path: string, errs: FieldError[]): JdRebuildContainerSpec['env'] {
  const env = c.env ?? [];
  if (env.length > LIMITS.env) {
    errs.push(
      fieldInvalid(
        `${path}.env`,
        env.length,
        `must have at most ${LIMITS.env} items (JD Cloud limit)`,
      ),
    );
  }
  // Kubernetes lets a later duplicate win; JD gets each name once, where it first appeared.
  const byName = new Map<string, string>();
  env.forEach((e, i) => {
    const p = `${path}.env[${i}]`;
    if (e.valueFrom) {
      const source = Object.keys(e.valueFrom)[0] ?? 'valueFrom';
      errs.push(fieldNotSupported(`${p}.valueFrom`, source, []));
    }
    if (!JD_ENV_NAME.test(e.name) || e.name.length > LIMITS.envName) {
      errs.push(
        fieldInvalid(
          `${p}.name`,
          e.name,
          `must be 1-${LIMITS.envName} letters, digits or '_' (JD Cloud limit)`,
        ),
      );
    }
    const value = e.value ?? '';
    if (value.length > LIMITS.envValue) {
      errs.push(
        fieldInvalid(
          `${p}.value`,
          `${value.slice(0, 20)}…`,
          `must have at most ${LIMITS.envValue} characters (JD Cloud limit)`,
        ),
      );
    }
    byName.set(e.name, value);
  });
  return env.length ? [...byName].map(([name, value]) => ({ name, value })) : undefined;
}

function jdVolumeMounts(
  c: Container,
  path: string,
  errs: FieldError[],
): JdRebuildContainerSpec['volumeMounts'] {
  const mounts = c.volumeMounts ?? [];
  mounts.forEach((m, i) => {
    const p = `${path}.volumeMounts[${i}]`;
    if (m.mountPath === '/')
      errs.push(
        fieldInvalid(
          `${p}.mountPath`,
          m.mountPath,
          'must not be the root directory (JD Cloud limit)',
        ),
      );
    if (m.mountPath.length > LIMITS.path)
      errs.push(
        fieldInvalid(
          `${p}.mountPath`,
          m.mountPath,
          `must have at most ${LIMITS.path} characters (JD Cloud limit)`,
        ),
      );
    if (m.subPathExpr) errs.push(fieldForbidden(`${p}.subPathExpr`, NOT_ON_JDCLOUD));
    if (m.mountPropagation && m.mountPropagation !== 'None') {
      errs.push(fieldNotSupported(`${p}.mountPropagation`, m.mountPropagation, ['None']));
    }
  });
  return mounts.length
    ? mounts.map((m) => ({
        name: m.name,
        mountPath: m.mountPath,
        ...(m.readOnly && { readOnly: true }),
        ...(m.subPath && { subPath: m.subPath }),
      }))
    : undefined;
}

/**
 * The JD fields of one container that createPods and rebuildPod share, refusing on its exact
 * path every part of it JD Cloud cannot honour.
 *
 * @param secret the JD docker-registry secret (the Pod's `imagePullSecrets[0]`), if any
 */
export function jdContainerCommon(
  c: Container,
  path: string,
  secret: string | undefined,
  errs: FieldError[],
): JdRebuildContainerSpec {
  refuseUnsupported(c, path, errs);
  const image = c.image ?? '';
  if (image.length > LIMITS.image) {
    errs.push(
      fieldInvalid(
        `${path}.image`,
        image,
        `must have at most ${LIMITS.image} characters (JD Cloud limit)`,
      ),
    );
  }
  totalLength(c.command, LIMITS.command, `${path}.command`, errs);
  totalLength(c.args, LIMITS.args, `${path}.args`, errs);
  if (c.workingDir && (!c.workingDir.startsWith('/') || c.workingDir.length > LIMITS.path)) {
    errs.push(
      fieldInvalid(
        `${path}.workingDir`,
        c.workingDir,
        `must be an absolute path of at most ${LIMITS.path} characters (JD Cloud limit)`,
      ),
    );
  }
  const env = jdEnv(c, path, errs);
  const volumeMounts = jdVolumeMounts(c, path, errs);
  const livenessProbe = jdProbeOf(c.livenessProbe, c, `${path}.livenessProbe`, errs);
  const readinessProbe = jdProbeOf(c.readinessProbe, c, `${path}.readinessProbe`, errs);
  return {
    name: c.name,
    image,
    ...(c.command?.length && { command: c.command }),
    ...(c.args?.length && { args: c.args }),
    ...(env && { env }),
    ...(secret && { secret }),
    ...(c.tty && { tty: true }),
    ...(c.workingDir && { workingDir: c.workingDir }),
    ...(livenessProbe && { livenessProbe }),
    ...(readinessProbe && { readinessProbe }),
    ...(volumeMounts && { volumeMounts }),
  };
}
