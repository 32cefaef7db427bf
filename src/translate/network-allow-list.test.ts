import { describe, expect, it } from 'vitest';
import type { NamespaceSettings } from '../config';
import type { FieldError } from '../k8s/status';
import { placementOf } from './annotations';
import { checkNetworkAllowed } from './network-allow-list';
import { CATALOGUE, lines, NS } from './test-fixtures';

/** A namespace that lists nothing beyond its own defaults. */
const STRICT: NamespaceSettings = {
  ...NS,
  allowedSubnetIds: [],
  allowedSecurityGroupIds: [],
  allowedElasticIpProviders: [],
};

function check(annotations: Record<string, string>, ns = STRICT) {
  const errs: FieldError[] = [];
  const placement = placementOf(annotations, ns, { cpuMillis: 0, memoryMiB: 0 }, CATALOGUE, errs);
  checkNetworkAllowed(placement, annotations, ns, 'team-a', errs);
  return lines(errs);
}
const at = (key: string) => `metadata.annotations[jdcloud.com/${key}]`;

describe('checkNetworkAllowed', () => {
  it('lets annotations choose the namespace defaults and what it lists', () => {
    expect(
      check({
        'jdcloud.com/subnet-id': 'subnet-dev0north',
        'jdcloud.com/security-group-ids': 'sg-dev0north',
      }),
    ).toEqual([]);
    expect(
      check(
        {
          'jdcloud.com/subnet-id': 'subnet-other',
          'jdcloud.com/security-group-ids': 'sg-a,sg-dev0north',
          'jdcloud.com/elastic-ip-bandwidth-mbps': '5',
          'jdcloud.com/elastic-ip-provider': 'no_bgp',
        },
        NS,
      ),
    ).toEqual([]);
  });

  it("refuses another namespace's subnet and any unlisted security group, naming both", () => {
    expect(
      check({
        'jdcloud.com/subnet-id': 'subnet-dev0east',
        'jdcloud.com/security-group-ids': 'sg-dev0north,sg-admin',
      }),
    ).toEqual([
      `${at('subnet-id')}: Forbidden: subnet "subnet-dev0east" is not allowed in namespace "team-a" (allowed: subnet-dev0north; PODGATE_NAMESPACES.team-a.allowedSubnetIds)`,
      `${at('security-group-ids')}: Forbidden: security group "sg-admin" is not allowed in namespace "team-a" (allowed: sg-dev0north; PODGATE_NAMESPACES.team-a.allowedSecurityGroupIds)`,
    ]);
  });

  it('refuses elastic IPs unless the namespace lists their provider', () => {
    expect(check({ 'jdcloud.com/elastic-ip-bandwidth-mbps': '5' })).toEqual([
      `${at('elastic-ip-bandwidth-mbps')}: Forbidden: elastic IPs are not allowed in namespace "team-a" (PODGATE_NAMESPACES.team-a.allowedElasticIpProviders lists none)`,
    ]);
    const bgpOnly = { ...STRICT, allowedElasticIpProviders: ['bgp' as const] };
    expect(check({ 'jdcloud.com/elastic-ip-bandwidth-mbps': '5' }, bgpOnly)).toEqual([]);
    expect(
      check(
        {
          'jdcloud.com/elastic-ip-bandwidth-mbps': '5',
          'jdcloud.com/elastic-ip-provider': 'no_bgp',
        },
        bgpOnly,
      ),
    ).toEqual([
      `${at('elastic-ip-provider')}: Forbidden: elastic IP provider "no_bgp" is not allowed in namespace "team-a" (allowed: bgp; PODGATE_NAMESPACES.team-a.allowedElasticIpProviders)`,
    ]);
  });
});
