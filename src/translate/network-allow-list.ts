/**
 * A namespace's callers stay inside its network: the `jdcloud.com/subnet-id`,
 * `jdcloud.com/security-group-ids` and elastic-IP annotations may only choose among what the
 * namespace's configuration lists (`PODGATE_NAMESPACES.<ns>`: `subnetId` and
 * `allowedSubnetIds`; `securityGroupIds` and `allowedSecurityGroupIds`;
 * `allowedElasticIpProviders`, empty by default: no elastic IP). Anything else is a 422 naming the
 * annotation and the namespace, before JD Cloud is asked.
 */
import type { NamespaceSettings } from '../config';
import { fieldForbidden } from '../k8s/field-errors';
import type { FieldError } from '../k8s/status';
import { JD_ANNOTATIONS, type Placement } from './annotations';

const pathOf = (key: string) => `metadata.annotations[${key}]`;

/** JD Cloud's provider when the pod names none. */
const DEFAULT_EIP_PROVIDER = 'bgp';

const listed = (ids: readonly string[]) => (ids.length ? ids.join(', ') : 'none');

/**
 * Adds an error for every network choice of `placement` that the namespace does not allow.
 * Only choices made by annotations are judged: the namespace's own defaults are always allowed.
 */
export function checkNetworkAllowed(
  placement: Placement,
  annotations: Readonly<Record<string, string>> | undefined,
  ns: NamespaceSettings,
  namespace: string,
  errs: FieldError[],
): void {
  const a = annotations ?? {};
  const key = `PODGATE_NAMESPACES.${namespace}`;
  if (Object.hasOwn(a, JD_ANNOTATIONS.subnetId)) {
    const allowed = [ns.subnetId, ...ns.allowedSubnetIds];
    if (!allowed.includes(placement.subnetId)) {
      errs.push(
        fieldForbidden(
          pathOf(JD_ANNOTATIONS.subnetId),
          `subnet ${JSON.stringify(placement.subnetId)} is not allowed in namespace "${namespace}" (allowed: ${listed(allowed)}; ${key}.allowedSubnetIds)`,
        ),
      );
    }
  }
  if (Object.hasOwn(a, JD_ANNOTATIONS.securityGroupIds)) {
    const allowed = [...ns.securityGroupIds, ...ns.allowedSecurityGroupIds];
    const refused = placement.securityGroupIds.filter((id) => !allowed.includes(id));
    if (refused.length) {
      errs.push(
        fieldForbidden(
          pathOf(JD_ANNOTATIONS.securityGroupIds),
          `security group ${refused.map((id) => JSON.stringify(id)).join(', ')} is not allowed in namespace "${namespace}" (allowed: ${listed(allowed)}; ${key}.allowedSecurityGroupIds)`,
        ),
      );
    }
  }
  if (placement.elasticIp) {
    const provider = placement.elasticIp.provider ?? DEFAULT_EIP_PROVIDER;
    const allowed = ns.allowedElasticIpProviders;
    if (!allowed.includes(provider)) {
      const annotation = Object.hasOwn(a, JD_ANNOTATIONS.elasticIpProvider)
        ? JD_ANNOTATIONS.elasticIpProvider
        : JD_ANNOTATIONS.elasticIpBandwidthMbps;
      errs.push(
        fieldForbidden(
          pathOf(annotation),
          allowed.length
            ? `elastic IP provider "${provider}" is not allowed in namespace "${namespace}" (allowed: ${listed(allowed)}; ${key}.allowedElasticIpProviders)`
            : `elastic IPs are not allowed in namespace "${namespace}" (${key}.allowedElasticIpProviders lists none)`,
        ),
      );
    }
  }
}
