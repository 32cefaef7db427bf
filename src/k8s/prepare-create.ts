/**
 * What the apiserver does to a pod before validating a create: `rest.BeforeCreate`,
 * `podStrategy.PrepareForCreate` and the core/v1 defaulters (SetDefaults_Pod, _PodSpec,
 * _Container, _Probe, _Volume…). Pure: identity and time come from the caller.
 */
import { type Container, type Pod, type PodSpec, type Probe, VOLUME_SOURCES } from './pod';
import { parseQuantity } from './quantity';
import { badRequest } from './status';

/** RFC 3339 at second precision, as metav1.Time marshals. */
export const formatTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

/** `maxGeneratedNameLength`: 63 minus the 5 random characters. */
const MAX_GENERATED_BASE = 58;

/**
 * Throws the 400 the apiserver sends when the body names a different namespace than the URL.
 * An empty namespace in the body is fine (it is filled from the URL).
 */
export function ensureNamespaceMatches(pod: Pod, namespace: string): void {
  if (pod.metadata.namespace && pod.metadata.namespace !== namespace)
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
}

export interface CreateContext {
  uid: string;
  now: Date;
  namespace: string;
  /** Five random characters appended to `generateName` (kube's SimpleNameGenerator). */
  nameSuffix?: string;
}

/**
 * Returns the pod as the apiserver would store it: identity set, defaults applied, status reset
 * to `Pending` with its QoS class. Validate the result with `validatePodCreate`.
 */
export function prepareForCreate(pod: Pod, ctx: CreateContext): Pod {
  const out = structuredClone(pod);
  const meta = out.metadata;
  if (!meta.name && meta.generateName && ctx.nameSuffix)
    meta.name = meta.generateName.slice(0, MAX_GENERATED_BASE) + ctx.nameSuffix;
  meta.namespace = ctx.namespace;
  meta.uid = ctx.uid;
  meta.creationTimestamp = formatTime(ctx.now);
  meta.generation = 1;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  delete meta.selfLink;
  delete meta.managedFields;
  out.apiVersion = 'v1';
  out.kind = 'Pod';
  defaultPodSpec(out.spec);
  out.status = { phase: 'Pending', qosClass: qosClass(out.spec) };
  return out;
}

/**
 * The core/v1 defaulters for a PodSpec, in place. The apiserver runs them when it decodes any
 * write (create, update, patch), so `prepareForUpdate` applies them too.
 */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ||= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.schedulerName ||= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  // The Priority admission plugin's defaults for pods without a priority class.
  spec.priority ??= 0;
  spec.preemptionPolicy ||= 'PreemptLowerPriority';
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (!VOLUME_SOURCES.some((k) => k in v)) v.emptyDir = {};
    if (v.secret) v.secret.defaultMode ??= 0o644;
    if (v.configMap) v.configMap.defaultMode ??= 0o644;
    if (v.downwardAPI) v.downwardAPI.defaultMode ??= 0o644;
    if (v.projected) v.projected.defaultMode ??= 0o644;
  }
}

/** `:latest` or no tag (and no digest) means the image can move, so kube pulls `Always`. */
function defaultPullPolicy(image: string | undefined): string {
  if (!image || image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  c.imagePullPolicy ||= defaultPullPolicy(c.image);
  c.resources ??= {};
  // SetDefaults_Pod: a limit without a request requests the limit.
  const { limits } = c.resources;
  if (limits) c.resources.requests = { ...limits, ...c.resources.requests };
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ||= 'v1';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) defaultProbe(probe);
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  if (probe.httpGet) {
    probe.httpGet.path ||= '/';
    probe.httpGet.scheme ||= 'HTTP';
  }
}

const safeQuantity = (q: string | number | undefined) => {
  try {
    return q === undefined ? undefined : parseQuantity(q);
  } catch {
    return undefined; // validation reports it; QoS must not throw first
  }
};

/** `qos.GetPodQOS` for cpu and memory: BestEffort, Guaranteed or Burstable. */
export function qosClass(spec: PodSpec): 'BestEffort' | 'Guaranteed' | 'Burstable' {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const r of ['cpu', 'memory']) {
      const req = safeQuantity(c.resources?.requests?.[r]);
      const lim = safeQuantity(c.resources?.limits?.[r]);
      if ((req ?? 0) > 0 || (lim ?? 0) > 0) any = true;
      if (lim === undefined || req !== lim) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
