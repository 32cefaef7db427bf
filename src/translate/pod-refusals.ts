/**
 * Pod-level fields JD Cloud cannot honour. Each is refused with its exact path unless it holds
 * the value the apiserver defaults it to (so a Pod read back from a cluster, or defaulted by
 * `prepareForCreate`, still translates).
 */
import { fieldForbidden, fieldNotSupported } from '../k8s/field-errors';
import type { PodSpec, Toleration } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { NOT_ON_JDCLOUD } from './field-errors';

/** Fields with no JD equivalent at all: refused whenever set to something but empty/false/0. */
const REFUSED = [
  'nodeSelector',
  'nodeName',
  'affinity',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'ephemeralContainers',
  'activeDeadlineSeconds',
  'subdomain',
  'setHostnameAsFQDN',
  'priorityClassName',
  'runtimeClassName',
  'overhead',
  'topologySpreadConstraints',
  'readinessGates',
  'schedulingGates',
  'resourceClaims',
  'resources',
] as const satisfies readonly (keyof PodSpec)[];

const isSet = (v: unknown): boolean => {
  if (v === undefined || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && v !== null) return Object.values(v).some(isSet);
  return true;
};

/**
 * The tolerations every cluster adds by admission (DefaultTolerationSeconds). They only say how
 * long to stay on a failed node; with no nodes they constrain nothing, so they are accepted.
 */
const isDefaultToleration = (t: Toleration) =>
  ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].includes(t.key ?? '') &&
  t.operator === 'Exists' &&
  t.effect === 'NoExecute';

/** Field errors for every pod-level field JD Cloud cannot honour. */
export function refusePodFields(spec: PodSpec): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of REFUSED)
    if (isSet(spec[key])) errs.push(fieldForbidden(`spec.${key}`, NOT_ON_JDCLOUD));
  (spec.tolerations ?? []).forEach((t, i) => {
    if (!isDefaultToleration(t))
      errs.push(fieldForbidden(`spec.tolerations[${i}]`, NOT_ON_JDCLOUD));
  });
  for (const [key, value] of Object.entries(spec.securityContext ?? {})) {
    if (isSet(value)) errs.push(fieldForbidden(`spec.securityContext.${key}`, NOT_ON_JDCLOUD));
  }
  // A JD pod has no Kubernetes identity to run as; only the implicit default account is honest.
  for (const key of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = spec[key];
    if (value && value !== 'default')
      errs.push(fieldNotSupported(`spec.${key}`, value, ['default']));
  }
  if (spec.schedulerName && spec.schedulerName !== 'default-scheduler') {
    errs.push(fieldNotSupported('spec.schedulerName', spec.schedulerName, ['default-scheduler']));
  }
  if (spec.priority) errs.push(fieldForbidden('spec.priority', NOT_ON_JDCLOUD));
  if (spec.os && spec.os.name !== 'linux')
    errs.push(fieldNotSupported('spec.os.name', spec.os.name, ['linux']));
  if (spec.hostUsers === false) errs.push(fieldForbidden('spec.hostUsers', NOT_ON_JDCLOUD));
  return errs;
}
