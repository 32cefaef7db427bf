/**
 * Kubernetes probes → JD Cloud ProbeSpec (seed 003 ranges).
 *
 * Every timing field is sent, even when the Pod left it to the default, because JD's defaults
 * differ from Kubernetes' (JD waits 10 s before the first probe, Kubernetes 0 s).
 */

import type { JdContainer, JdProbeSpec } from '../jdcloud/models';
import { fieldForbidden, fieldInvalid } from '../k8s/field-errors';
import type { Container, Probe } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { jdRange, NOT_ON_JDCLOUD } from './field-errors';

/** Kubernetes' default and JD's range for each timing field. */
const TIMING = {
  initialDelaySeconds: { k8sDefault: 0, min: 0, max: 300 },
  periodSeconds: { k8sDefault: 10, min: 1, max: 300 },
  timeoutSeconds: { k8sDefault: 1, min: 1, max: 300 },
  successThreshold: { k8sDefault: 1, min: 1, max: 10 },
  failureThreshold: { k8sDefault: 3, min: 1, max: 10 },
} as const;

/** JD limits `exec.command` (like a container's command) to 256 characters in all. */
const EXEC_COMMAND_MAX = 256;
const HTTP_PATH_MAX = 256;
const HEADER_NAME_MAX = 64;

/**
 * A container port by number or by name (`ports[].name`), as Kubernetes resolves probe ports.
 * JD only takes numbers, so a name is resolved here or refused.
 */
function portNumber(
  port: number | string,
  c: Container,
  path: string,
  errs: FieldError[],
): number | undefined {
  if (typeof port === 'number') return port;
  const found = c.ports?.find((p) => p.name === port)?.containerPort;
  if (found === undefined)
    errs.push(fieldInvalid(path, port, 'must name a port of this container'));
  return found;
}

/** The JD ProbeSpec for a Kubernetes probe, or undefined when the container has none. */
export function jdProbeOf(
  probe: Probe | undefined,
  c: Container,
  path: string,
  errs: FieldError[],
): JdProbeSpec | undefined {
  if (!probe) return undefined;
  const out: JdProbeSpec = {};
  for (const [key, range] of Object.entries(TIMING) as [
    keyof typeof TIMING,
    (typeof TIMING)[keyof typeof TIMING],
  ][]) {
    const value = probe[key] ?? range.k8sDefault;
    if (value < range.min || value > range.max) {
      errs.push(fieldInvalid(`${path}.${key}`, value, jdRange(range.min, range.max)));
    }
    out[key] = value;
  }
  if (probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(fieldForbidden(`${path}.terminationGracePeriodSeconds`, NOT_ON_JDCLOUD));
  }
  if (probe.grpc) errs.push(fieldForbidden(`${path}.grpc`, NOT_ON_JDCLOUD));
  if (probe.exec) {
    const command = probe.exec.command ?? [];
    if (command.join('').length > EXEC_COMMAND_MAX) {
      errs.push(
        fieldInvalid(
          `${path}.exec.command`,
          command.join(' '),
          `must have at most ${EXEC_COMMAND_MAX} characters in all (JD Cloud limit)`,
        ),
      );
    }
    out.exec = { command };
  }
  if (probe.httpGet) {
    const h = probe.httpGet;
    const p = `${path}.httpGet`;
    const port = portNumber(h.port, c, `${p}.port`, errs);
    const httpPath = h.path || '/';
    if (httpPath.length > HTTP_PATH_MAX) {
      errs.push(
        fieldInvalid(
          `${p}.path`,
          httpPath,
          `must have at most ${HTTP_PATH_MAX} characters (JD Cloud limit)`,
        ),
      );
    }
    (h.httpHeaders ?? []).forEach((header, i) => {
      if (header.name.length > HEADER_NAME_MAX) {
        errs.push(
          fieldInvalid(
            `${p}.httpHeaders[${i}].name`,
            header.name,
            `must have at most ${HEADER_NAME_MAX} characters (JD Cloud limit)`,
          ),
        );
      }
    });
    out.httpGet = {
      scheme: h.scheme === 'HTTPS' ? 'https' : 'http',
      ...(h.host && { host: h.host }),
      port: port ?? 0,
      path: httpPath,
      ...(h.httpHeaders?.length && {
        httpHeader: h.httpHeaders.map(({ name, value }) => ({ name, value })),
      }),
    };
  }
  if (probe.tcpSocket) {
    const p = `${path}.tcpSocket`;
    if (probe.tcpSocket.host) errs.push(fieldForbidden(`${p}.host`, NOT_ON_JDCLOUD));
    out.tcpSocket = { port: portNumber(probe.tcpSocket.port, c, `${p}.port`, errs) ?? 0 };
  }
  return out;
}

/** The Kubernetes probe a JD ProbeSpec describes (for rebuilding a Pod from JD alone). */
export function probeFromJd(probe: JdContainer['livenessProbe']): Probe | undefined {
  if (!probe) return undefined;
  const out: Probe = {};
  for (const key of Object.keys(TIMING) as (keyof typeof TIMING)[]) {
    if (probe[key] !== undefined) out[key] = probe[key];
  }
  if (probe.exec) out.exec = { command: probe.exec.command ?? [] };
  if (probe.httpGet) {
    const h = probe.httpGet;
    out.httpGet = {
      port: h.port ?? 0,
      path: h.path ?? '/',
      scheme: h.scheme?.toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP',
      ...(h.host && { host: h.host }),
      ...(h.httpHeader?.length && {
        httpHeaders: h.httpHeader.map(({ name, value }) => ({ name, value: value ?? '' })),
      }),
    };
  }
  if (probe.tcpSocket) out.tcpSocket = { port: probe.tcpSocket.port ?? 0 };
  return out;
}
