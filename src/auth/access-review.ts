/**
 * The self-review objects `kubectl auth can-i` and `kubectl auth whoami` create, answered from
 * podgate's own roles (authorize.ts): SelfSubjectAccessReview and SelfSubjectRulesReview
 * (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1). Pure functions.
 */
import { fieldInvalid, fieldRequired } from '../k8s/field-errors';
import { invalid } from '../k8s/status';
import { authorize, type PodAction, RBAC_ATTRIBUTES, ROLE_ACTIONS } from './authorize';
import type { Principal } from './principal';

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: { path?: string; verb?: string };
}

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
}

/** Paths any authenticated caller may GET (the apiserver's system:discovery and friends). */
const DISCOVERY_PATHS = [/^\/api(\/v1)?$/, /^\/apis(\/.*)?$/, /^\/version$/, /^\/openapi(\/.*)?$/];

/** The podgate actions a (verb, resource) names; `*` matches every verb or resource. */
function actionsFor(verb: string, resource: string): PodAction[] {
  return (Object.keys(RBAC_ATTRIBUTES) as PodAction[]).filter((action) => {
    const attrs = RBAC_ATTRIBUTES[action];
    return (
      (verb === '*' || attrs.verb === verb) && (resource === '*' || attrs.resource === resource)
    );
  });
}

/** 422 unless exactly one of the two attribute sets is given (ValidateSelfSubjectAccessReview). */
export function validateAccessReview(spec: AccessReviewSpec | undefined): void {
  const both = !!spec?.resourceAttributes && !!spec?.nonResourceAttributes;
  const neither = !spec?.resourceAttributes && !spec?.nonResourceAttributes;
  if (both || neither) {
    throw invalid('SelfSubjectAccessReview.authorization.k8s.io', '', [
      fieldInvalid(
        'spec.resourceAttributes',
        spec?.resourceAttributes ?? null,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    ]);
  }
  if (spec?.resourceAttributes && !spec.resourceAttributes.verb) {
    throw invalid('SelfSubjectAccessReview.authorization.k8s.io', '', [
      fieldRequired('spec.resourceAttributes.verb'),
    ]);
  }
}

/** May `principal` do what `spec` asks? Every podgate action it names must be allowed. */
export function reviewAccess(principal: Principal, spec: AccessReviewSpec): AccessReviewStatus {
  const attrs = spec.resourceAttributes;
  if (!attrs) {
    const path = spec.nonResourceAttributes?.path ?? '';
    const allowed =
      spec.nonResourceAttributes?.verb === 'get' && DISCOVERY_PATHS.some((re) => re.test(path));
    return allowed
      ? { allowed, reason: 'podgate: discovery is open to every caller' }
      : { allowed };
  }
  if ((attrs.group ?? '') !== '' && attrs.group !== '*') return { allowed: false };
  const resource = attrs.subresource
    ? `${attrs.resource}/${attrs.subresource}`
    : (attrs.resource ?? '');
  const actions = actionsFor(attrs.verb ?? '', resource);
  if (!actions.length) return { allowed: false };
  const namespace = attrs.namespace || undefined;
  const allowed = actions.every((action) => authorize(principal, action, namespace).allowed);
  return allowed
    ? { allowed, reason: `podgate: role ${JSON.stringify(principal.role)} allows it` }
    : { allowed };
}

/** The rules `principal` holds in `namespace` (`kubectl auth can-i --list`). */
export function reviewRules(principal: Principal, namespace: string) {
  const inScope = principal.namespaces === '*' || principal.namespaces.includes(namespace);
  const byResource = new Map<string, string[]>();
  if (inScope) {
    for (const action of ROLE_ACTIONS[principal.role]) {
      const { verb, resource } = RBAC_ATTRIBUTES[action];
      byResource.set(resource, [...(byResource.get(resource) ?? []), verb]);
    }
  }
  return {
    resourceRules: [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      },
      {
        verbs: ['create'],
        apiGroups: ['authentication.k8s.io'],
        resources: ['selfsubjectreviews'],
      },
      ...[...byResource].map(([resource, verbs]) => ({
        verbs: [...new Set(verbs)].sort(),
        apiGroups: [''],
        resources: [resource],
      })),
    ],
    nonResourceRules: [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/openapi',
          '/openapi/*',
          '/version',
        ],
      },
    ],
    incomplete: false,
  };
}

/** `kubectl auth whoami`: the user podgate authenticated. */
export const userInfoOf = (principal: Principal) => ({
  username: principal.name,
  groups: [`podgate:${principal.role}`, 'system:authenticated'],
  extra: { 'podgate.io/via': [principal.via] },
});
