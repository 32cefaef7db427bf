/**
 * Pod create validation: the subset of `ValidatePodCreate` / `ValidatePodSpec`
 * (k8s.io/kubernetes/pkg/apis/core/validation) that matters for a gateway, with the apiserver's
 * field paths and messages. Run it on the object `prepareForCreate` returned, as the apiserver
 * validates after defaulting.
 */
import {
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
} from './field-errors';
import {
  inclusiveRangeError,
  isDns1123Label,
  isEnvVarName,
  isValidPortName,
  isValidPortNum,
} from './names';
import {
  type Container,
  type Pod,
  type PodSpec,
  type Probe,
  VOLUME_SOURCES,
  type Volume,
} from './pod';
import { parseQuantity, QuantityError } from './quantity';
import type { FieldError } from './status';
import { validateLabels, validateObjectMeta } from './validate-meta';
import { validateImage, validateTolerations } from './validate-shared';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_INT32 = 2147483647;

/**
 * Validates a pod for creation in `namespace` (which the caller has already matched against the
 * body, see `ensureNamespaceMatches`).
 *
 * @returns the field errors; empty when the pod is valid. Feed them to `invalid('Pod', name, …)`.
 */
export function validatePodCreate(pod: Pod, namespace: string): FieldError[] {
  const meta = { ...pod.metadata, namespace: pod.metadata.namespace || namespace };
  return [...validateObjectMeta(meta), ...validatePodSpec(pod.spec)];
}

/** `ValidatePodSpec` (subset). */
export function validatePodSpec(spec: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  const volumeNames = validateVolumes(spec.volumes ?? [], errs);
  const seen = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => {
    validateContainer(c, `spec.initContainers[${i}]`, volumeNames, seen, errs);
  });
  if (spec.containers.length === 0) errs.push(fieldRequired('spec.containers'));
  spec.containers.forEach((c, i) => {
    validateContainer(c, `spec.containers[${i}]`, volumeNames, seen, errs);
  });
  if (!spec.restartPolicy) errs.push(fieldRequired('spec.restartPolicy'));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy))
    errs.push(fieldNotSupported('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy))
    errs.push(fieldNotSupported('spec.dnsPolicy', spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32))
    errs.push(fieldInvalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(1, MAX_INT32)));
  for (const key of ['hostname', 'subdomain'] as const) {
    const v = spec[key];
    if (v) for (const m of isDns1123Label(v)) errs.push(fieldInvalid(`spec.${key}`, v, m));
  }
  errs.push(...validateTolerations(spec.tolerations ?? [], 'spec.tolerations'));
  return errs;
}

function validateVolumes(volumes: Volume[], errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const path = `spec.volumes[${i}]`;
    if (!v.name) errs.push(fieldRequired(`${path}.name`));
    else for (const m of isDns1123Label(v.name)) errs.push(fieldInvalid(`${path}.name`, v.name, m));
    if (names.has(v.name)) errs.push(fieldDuplicate(`${path}.name`, v.name));
    names.add(v.name);
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length === 0) errs.push(fieldRequired(path, 'must specify a volume type'));
    for (const extra of sources.slice(1))
      errs.push(fieldForbidden(`${path}.${extra}`, 'may not specify more than 1 volume type'));
  });
  return names;
}

function validateContainer(
  c: Container,
  path: string,
  volumes: Set<string>,
  seen: Set<string>,
  errs: FieldError[],
): void {
  if (!c.name) errs.push(fieldRequired(`${path}.name`));
  else for (const m of isDns1123Label(c.name)) errs.push(fieldInvalid(`${path}.name`, c.name, m));
  if (c.name && seen.has(c.name)) errs.push(fieldDuplicate(`${path}.name`, c.name));
  seen.add(c.name);
  errs.push(...validateImage(c.image, `${path}.image`));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy))
    errs.push(fieldNotSupported(`${path}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  validatePorts(c, path, errs);
  (c.env ?? []).forEach((e, i) => {
    const p = `${path}.env[${i}]`;
    if (!e.name) errs.push(fieldRequired(`${p}.name`));
    else for (const m of isEnvVarName(e.name)) errs.push(fieldInvalid(`${p}.name`, e.name, m));
    if (e.valueFrom && e.value)
      errs.push(
        fieldInvalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'),
      );
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const p = `${path}.volumeMounts[${i}]`;
    if (!m.name) errs.push(fieldRequired(`${p}.name`));
    else if (!volumes.has(m.name)) errs.push(fieldNotFound(`${p}.name`, m.name));
    if (!m.mountPath) errs.push(fieldRequired(`${p}.mountPath`));
    else if (mountPaths.has(m.mountPath))
      errs.push(fieldInvalid(`${p}.mountPath`, m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
  });
  validateProbe(c.livenessProbe, `${path}.livenessProbe`, true, errs);
  validateProbe(c.readinessProbe, `${path}.readinessProbe`, false, errs);
  validateProbe(c.startupProbe, `${path}.startupProbe`, true, errs);
  validateResources(c, path, errs);
}

function validatePorts(c: Container, path: string, errs: FieldError[]): void {
  const names = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const p = `${path}.ports[${i}]`;
    if (port.name) {
      for (const m of isValidPortName(port.name))
        errs.push(fieldInvalid(`${p}.name`, port.name, m));
      if (names.has(port.name)) errs.push(fieldDuplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    if (port.containerPort === 0) errs.push(fieldRequired(`${p}.containerPort`));
    else
      for (const m of isValidPortNum(port.containerPort))
        errs.push(fieldInvalid(`${p}.containerPort`, port.containerPort, m));
    if (port.hostPort)
      for (const m of isValidPortNum(port.hostPort))
        errs.push(fieldInvalid(`${p}.hostPort`, port.hostPort, m));
    if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol))
      errs.push(fieldNotSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
  });
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const PROBE_COUNTS = [
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
] as const;

function validateProbe(
  probe: Probe | undefined,
  path: string,
  mustSucceedOnce: boolean,
  errs: FieldError[],
) {
  if (!probe) return;
  const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) errs.push(fieldRequired(path, 'must specify a handler type'));
  for (const extra of handlers.slice(1))
    errs.push(fieldForbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  for (const key of PROBE_COUNTS) {
    const v = probe[key];
    if (v !== undefined && v < 0)
      errs.push(fieldInvalid(`${path}.${key}`, v, 'must be greater than or equal to 0'));
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1)
    errs.push(fieldInvalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  for (const key of ['httpGet', 'tcpSocket'] as const) {
    const port = probe[key]?.port;
    if (port === undefined) continue;
    const msgs = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port);
    for (const m of msgs) errs.push(fieldInvalid(`${path}.${key}.port`, port, m));
  }
  const scheme = probe.httpGet?.scheme;
  if (scheme !== undefined && !['HTTP', 'HTTPS'].includes(scheme))
    errs.push(fieldNotSupported(`${path}.httpGet.scheme`, scheme, ['HTTP', 'HTTPS']));
}

function quantityOf(value: string | number, path: string, errs: FieldError[]): number | undefined {
  try {
    const n = parseQuantity(value);
    if (n < 0) errs.push(fieldInvalid(path, String(value), 'must be greater than or equal to 0'));
    return n;
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
    errs.push(fieldInvalid(path, String(value), e.message));
    return undefined;
  }
}

/** Quantities must parse and be non-negative; a request may not exceed its limit. */
function validateResources(c: Container, path: string, errs: FieldError[]): void {
  const { limits = {}, requests = {} } = c.resources ?? {};
  const parsedLimits = new Map<string, number | undefined>();
  for (const [k, v] of Object.entries(limits))
    parsedLimits.set(k, quantityOf(v, `${path}.resources.limits[${k}]`, errs));
  for (const [k, v] of Object.entries(requests)) {
    const p = `${path}.resources.requests[${k}]`;
    const req = quantityOf(v, p, errs);
    const lim = parsedLimits.get(k);
    if (req !== undefined && lim !== undefined && req > lim)
      errs.push(
        fieldInvalid(
          p,
          String(v),
          `must be less than or equal to ${k} limit of ${String(limits[k])}`,
        ),
      );
  }
}
