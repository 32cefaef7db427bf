/**
 * A Pod's identity as JD Cloud stores it, so podgate can find every pod from JD Cloud alone.
 *
 * The JD pod name is `pg.<namespace>.<name>`. A namespace is a DNS-1123 label (no dots), so the
 * first dot after the prefix ends it and the rest is the Pod name, dots included: the encoding is
 * reversible and two (namespace, name) pairs never share a JD name. The result is itself a
 * DNS-1123 subdomain, which is what createPods requires of `podSpec.name`.
 *
 * Tags repeat the identity and carry what the name cannot (uid, creationTimestamp). JD tag rules
 * (Tag/Introduction/Restrictions): key ≤127 and value ≤255 characters of letters, digits, spaces
 * and `_.:/=+-@`, no `jrn:` prefix, at most 10 tags per resource. podgate writes four.
 */

import type { JdFilter } from '../jdcloud/models';

const PREFIX = 'pg';
/** createPods: `podSpec.name` is a DNS-1123 subdomain, at most 253 characters. */
const JD_NAME_MAX = 253;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TAG_TEXT = /^[\p{L}\p{N}\p{Z}_.:/=+\-@]+$/u;

export interface PodKey {
  namespace: string;
  name: string;
}

/**
 * The longest Pod name `namespace` can hold: what is left of JD's 253 characters after
 * `pg.<namespace>.`. The API rejects longer names with 422 on `metadata.name`.
 */
export const maxPodNameLength = (namespace: string): number =>
  JD_NAME_MAX - PREFIX.length - namespace.length - 2;

/** The JD name prefix every pod of `namespace` starts with: `pg.<namespace>.`. */
export const jdNamePrefix = (namespace: string): string => `${PREFIX}.${namespace}.`;

/**
 * The JD pod name for a Pod. Throws on inputs the API should have rejected already
 * (a namespace that is not a DNS label, a name that is not a subdomain or is too long).
 */
export function jdPodName({ namespace, name }: PodKey): string {
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    throw new RangeError(`namespace ${JSON.stringify(namespace)} is not a DNS-1123 label`);
  }
  if (!DNS_SUBDOMAIN.test(name) || name.length > maxPodNameLength(namespace)) {
    throw new RangeError(`pod name ${JSON.stringify(name)} does not fit a JD pod name`);
  }
  return `${jdNamePrefix(namespace)}${name}`;
}

/** The (namespace, name) a JD pod name encodes, or undefined for a pod podgate did not create. */
export function podKeyFromJdName(jdName: string): PodKey | undefined {
  if (!jdName.startsWith(`${PREFIX}.`) || jdName.length > JD_NAME_MAX) return undefined;
  const rest = jdName.slice(PREFIX.length + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  const namespace = rest.slice(0, dot);
  const name = rest.slice(dot + 1);
  if (!DNS_LABEL.test(namespace) || namespace.length > 63 || !DNS_SUBDOMAIN.test(name)) {
    return undefined;
  }
  return { namespace, name };
}

/**
 * The describePods filter that narrows a listing to one namespace. JD's `name` filter is a
 * fuzzy (substring) match, so `pg.default.` also matches `pg.staging.pg.default.x`: keep only
 * the pods for which `inNamespace` holds.
 */
export const namespaceNameFilter = (namespace: string): JdFilter => ({
  name: 'name',
  values: [jdNamePrefix(namespace)],
});

/** Whether a JD pod name belongs to `namespace` (the exact check after the fuzzy filter). */
export const inNamespace = (jdName: string, namespace: string): boolean =>
  podKeyFromJdName(jdName)?.namespace === namespace;

/** The tag keys podgate writes on every JD pod it creates. */
export const IDENTITY_TAGS = {
  namespace: 'podgate.namespace',
  name: 'podgate.name',
  uid: 'podgate.uid',
  creationTimestamp: 'podgate.created',
} as const;

export interface PodIdentity extends PodKey {
  uid: string;
  /** RFC 3339, e.g. `2024-01-02T03:04:05Z`. */
  creationTimestamp: string;
}

export interface JdTag {
  key: string;
  value: string;
}

/**
 * The identity tags for a Pod. Every value is checked against JD's tag charset: uids and
 * timestamps are podgate's own, so a value outside it is a programming error, not user input.
 */
export function identityTags(identity: PodIdentity): JdTag[] {
  return (Object.keys(IDENTITY_TAGS) as (keyof typeof IDENTITY_TAGS)[]).map((field) => {
    const value = identity[field];
    if (value.length > 255 || !TAG_TEXT.test(value) || value.startsWith('jrn:')) {
      throw new RangeError(`${field} ${JSON.stringify(value)} cannot be a JD tag value`);
    }
    return { key: IDENTITY_TAGS[field], value };
  });
}

/**
 * The identity stored in a JD pod's tags, if all four are present and agree with its name
 * (a tag edited by hand in the console must not move a pod to another namespace).
 */
export function identityFromTags(
  jdName: string,
  tags: readonly { key?: string; value?: string }[] | undefined,
): PodIdentity | undefined {
  const key = podKeyFromJdName(jdName);
  if (!key || !tags) return undefined;
  const get = (k: string) => tags.find((t) => t.key === k)?.value;
  const uid = get(IDENTITY_TAGS.uid);
  const creationTimestamp = get(IDENTITY_TAGS.creationTimestamp);
  if (!uid || !creationTimestamp) return undefined;
  if (get(IDENTITY_TAGS.namespace) !== key.namespace || get(IDENTITY_TAGS.name) !== key.name) {
    return undefined;
  }
  return { ...key, uid, creationTimestamp };
}

/** createPods `clientToken`: at most 64 ASCII characters. */
const CLIENT_TOKEN = /^[\x21-\x7e]{1,61}$/;

/**
 * The createPods idempotency token for a Pod: the same uid always yields the same token, so a
 * retried create returns the first call's podIds instead of making a second JD pod.
 */
export function clientTokenFor(uid: string): string {
  if (!CLIENT_TOKEN.test(uid)) {
    throw new RangeError(`uid ${JSON.stringify(uid)} cannot form a JD clientToken`);
  }
  return `pg-${uid}`;
}
