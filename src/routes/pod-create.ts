/**
 * Everything a create checks before anything is stored or sent: the apiserver's defaults and
 * validation, then the translation to JD Cloud (which rejects what JD Cloud cannot honour).
 * Pure apart from the instance-type catalogue (only fetched when resources choose the instance
 * type; the store caches it).
 */
import type { NamespaceSettings } from '../config';
import type { JdInstanceType } from '../jdcloud/models';
import type { Pod } from '../k8s/pod';
import { prepareForCreate } from '../k8s/prepare-create';
import { invalid } from '../k8s/status';
import { validatePodCreate } from '../k8s/validate-create';
import { maxPodNameLength } from '../translate/jd-name';
import { type CreateRequest, needsCatalogue, podToCreateSpec } from '../translate/pod-to-jd';
import { virtualNodeName } from '../translate/virtual-node';

export interface PreparedCreate {
  pod: Pod;
  request: CreateRequest;
}

const NAME_SUFFIX_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const nameSuffix = () =>
  Array.from(
    crypto.getRandomValues(new Uint8Array(5)),
    (b) => NAME_SUFFIX_CHARS[b % NAME_SUFFIX_CHARS.length],
  ).join('');

/**
 * Defaults, validates and translates a pod for `namespace`.
 * @throws StatusError 422 Invalid naming every bad field.
 */
export async function preparePodCreate(
  body: Pod,
  namespace: string,
  settings: NamespaceSettings,
  catalogue: () => Promise<readonly JdInstanceType[]>,
): Promise<PreparedCreate> {
  const uid = crypto.randomUUID();
  const pod = prepareForCreate(body, { uid, now: new Date(), namespace, nameSuffix: nameSuffix() });
  const name = pod.metadata.name ?? '';
  const errors = validatePodCreate(pod, namespace);
  const max = maxPodNameLength(namespace);
  if (name.length > max) {
    errors.push({
      field: 'metadata.name',
      reason: 'FieldValueTooLong',
      message: `Too long: may not be more than ${max} bytes (JD Cloud pod names hold "pg.${namespace}." too)`,
    });
  }
  if (errors.length) throw invalid('Pod', name, errors);
  const types = needsCatalogue(pod) ? await catalogue() : [];
  const translated = podToCreateSpec(pod, settings, types);
  if (!translated.ok) throw invalid('Pod', name, translated.errors);
  // Placed: the pod is on its zone's virtual node (routes/nodes.ts).
  pod.spec.nodeName = virtualNodeName(translated.value.podSpec.az);
  return { pod, request: translated.value };
}
