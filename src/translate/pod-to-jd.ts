/**
 * A Pod → the createPods request, and → the rebuildPod containers for a rollout.
 *
 * Input is the Pod as `prepareForCreate` stored it (defaults applied, validated). Everything in
 * it either reaches JD Cloud or is refused with a field error naming its path; nothing is
 * silently dropped. Callers turn the errors into `invalid('Pod', name, errors)`.
 */
import type { NamespaceSettings } from '../config';
import type {
  JdContainerSpec,
  JdInstanceType,
  JdPodSpec,
  JdRebuildContainerSpec,
} from '../jdcloud/models';
import { fieldInvalid } from '../k8s/field-errors';
import type { Container, Pod, PodSpec } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { JD_ANNOTATIONS, placementOf } from './annotations';
import { jdContainerCommon } from './containers';
import { fieldTooMany, jdRange } from './field-errors';
import { clientTokenFor, identityTags, jdPodName } from './jd-name';
import { checkNetworkAllowed } from './network-allow-list';
import { jdDnsConfigOf, jdHostAliasesOf, jdHostnameOf } from './pod-network';
import { refusePodFields } from './pod-refusals';
import { jdResourcesOf, podAmounts } from './resources';
import { jdVolumesOf } from './volumes';

/** createPods: `containers` has 1-8 items, init containers included. */
export const MAX_JD_CONTAINERS = 8;
const GRACE = { min: 0, max: 300 };

/** A translation, or every field error that stops it (for `invalid('Pod', name, errors)`). */
export type Translated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface CreateRequest {
  /** The createPods `podSpec`, name and identity tags included. */
  podSpec: JdPodSpec;
  /** Derived from the Pod's uid: a retried create never makes a second JD pod. */
  clientToken: string;
}

/**
 * Whether translating `pod` needs the instance-type catalogue: only when no annotation names a
 * type and its containers request resources (otherwise the namespace default is used).
 */
export function needsCatalogue(pod: Pod): boolean {
  if (pod.metadata.annotations?.[JD_ANNOTATIONS.instanceType] !== undefined) return false;
  const need = podAmounts(pod.spec);
  return need.cpuMillis > 0 || need.memoryMiB > 0;
}

/** The JD docker-registry secret for every container: the Pod's first image pull secret. */
function pullSecretOf(spec: PodSpec, errs: FieldError[]): string | undefined {
  const secrets = spec.imagePullSecrets ?? [];
  // JD takes one registry secret per container, so a second cannot be honoured.
  if (secrets.length > 1) errs.push(fieldTooMany('spec.imagePullSecrets', secrets.length, 1));
  return secrets[0]?.name || undefined;
}

/** Init containers first (JD runs `type: init` containers before the rest, in order). */
function allContainers(spec: PodSpec): { c: Container; path: string; init: boolean }[] {
  return [
    ...(spec.initContainers ?? []).map((c, i) => ({
      c,
      path: `spec.initContainers[${i}]`,
      init: true,
    })),
    ...spec.containers.map((c, i) => ({ c, path: `spec.containers[${i}]`, init: false })),
  ];
}

function countContainers(spec: PodSpec, errs: FieldError[]): void {
  const apps = spec.containers.length;
  const inits = spec.initContainers?.length ?? 0;
  if (apps > MAX_JD_CONTAINERS) errs.push(fieldTooMany('spec.containers', apps, MAX_JD_CONTAINERS));
  else if (apps + inits > MAX_JD_CONTAINERS) {
    errs.push(fieldTooMany('spec.initContainers', inits, MAX_JD_CONTAINERS - apps));
  }
}

/**
 * The createPods request for a Pod in a namespace.
 *
 * @param catalogue describeInstanceTypes for the namespace's region; empty skips the checks and
 *   the automatic choice (the annotation or namespace default is used as given)
 */
export function podToCreateSpec(
  pod: Pod,
  ns: NamespaceSettings,
  catalogue: readonly JdInstanceType[],
): Translated<CreateRequest> {
  const { metadata: meta, spec } = pod;
  const errs = refusePodFields(spec);
  countContainers(spec, errs);
  const secret = pullSecretOf(spec, errs);
  const place = placementOf(meta.annotations, ns, podAmounts(spec), catalogue, errs);
  checkNetworkAllowed(place, meta.annotations, ns, meta.namespace ?? '', errs);
  const containers: JdContainerSpec[] = allContainers(spec).map(({ c, path, init }) => {
    const resources = jdResourcesOf(c, path, errs);
    return {
      ...jdContainerCommon(c, path, secret, errs),
      ...(resources && { resources }),
      systemDisk: { category: 'cloud', ...place.systemDisk, autoDelete: true },
      ...(init && { type: 'init' as const }),
    };
  });
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && (grace < GRACE.min || grace > GRACE.max)) {
    errs.push(
      fieldInvalid('spec.terminationGracePeriodSeconds', grace, jdRange(GRACE.min, GRACE.max)),
    );
  }
  const volumes = jdVolumesOf(spec.volumes, errs);
  const dnsConfig = jdDnsConfigOf(spec.dnsConfig, errs);
  const hostAliases = jdHostAliasesOf(spec.hostAliases, errs);
  if (errs.length) return { ok: false, errors: errs };

  const identity = {
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    creationTimestamp: meta.creationTimestamp ?? '',
  };
  const podSpec: JdPodSpec = {
    name: jdPodName(identity),
    hostname: jdHostnameOf(spec.hostname, identity.name),
    restartPolicy: (spec.restartPolicy ?? 'Always') as JdPodSpec['restartPolicy'],
    ...(grace !== undefined && { terminationGracePeriodSeconds: grace }),
    instanceType: place.instanceType,
    az: place.az,
    ...(dnsConfig && { dnsConfig }),
    ...(hostAliases && { hostAliases }),
    ...(volumes && { volumes }),
    containers,
    ...(place.elasticIp && { elasticIp: place.elasticIp }),
    primaryNetworkInterface: {
      autoDelete: true,
      deviceIndex: 1,
      networkInterface: {
        subnetId: place.subnetId,
        ...(place.securityGroupIds.length && { securityGroups: place.securityGroupIds }),
      },
    },
    userTags: identityTags(identity),
  };
  return { ok: true, value: { podSpec, clientToken: clientTokenFor(identity.uid) } };
}

/**
 * The rebuildPod `containers` for a Pod: every container (init ones included) with its full
 * spec — command, args, env, probes, mounts — and the Pod's current images. rebuildPod resets
 * a container to exactly what it is given, so sending only the image would drop the rest.
 */
export function podToRebuildContainers(pod: Pod): Translated<JdRebuildContainerSpec[]> {
  const errs: FieldError[] = [];
  const secret = pullSecretOf(pod.spec, errs);
  const containers = allContainers(pod.spec).map(({ c, path }) =>
    jdContainerCommon(c, path, secret, errs),
  );
  return errs.length ? { ok: false, errors: errs } : { ok: true, value: containers };
}
