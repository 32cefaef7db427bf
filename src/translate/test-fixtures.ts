/** Shared test inputs: a namespace, a catalogue like the emulator's, and a prepared Pod. */
import type { NamespaceSettings } from '../config';
import type { JdInstanceType } from '../jdcloud/models';
import { decodePod, type Pod } from '../k8s/pod';
import { prepareForCreate } from '../k8s/prepare-create';

export const NS: NamespaceSettings = {
  regionId: 'cn-north-1',
  az: 'cn-north-1a',
  subnetId: 'subnet-dev0north',
  securityGroupIds: ['sg-dev0north'],
  allowedSubnetIds: ['subnet-other'],
  allowedSecurityGroupIds: ['sg-a', 'sg-b'],
  allowedElasticIpProviders: ['bgp', 'no_bgp'],
  instanceType: 'g.n2.medium',
  systemDisk: { diskType: 'ssd.gp1', sizeGB: 20 },
};

const state = [
  { az: 'cn-north-1a', inStock: true, online: true },
  { az: 'cn-north-1b', inStock: true, online: true },
];
export const CATALOGUE: JdInstanceType[] = [
  { instanceType: 'g.n2.medium', cpu: 1, memoryMB: 4096, state },
  { instanceType: 'g.n2.large', cpu: 2, memoryMB: 8192, state },
  { instanceType: 'g.n2.xlarge', cpu: 4, memoryMB: 16384, state },
  { instanceType: 'c.n2.large', cpu: 2, memoryMB: 4096, state },
];

export const UID = '6f1c2b1e-8a51-4c7e-9b1a-2d3e4f5a6b7c';

/** A Pod as the API stores it: decoded, then defaulted by `prepareForCreate`. */
export function preparedPod(json: Record<string, unknown>, namespace = 'default'): Pod {
  const body = { metadata: { name: 'web' }, ...json };
  return prepareForCreate(decodePod(body), {
    uid: UID,
    now: new Date('2024-01-02T03:04:05Z'),
    namespace,
  });
}

/** `field: message` lines, the way kubectl prints the causes of a 422. */
export const lines = (errors: { field: string; message: string }[]) =>
  errors.map((e) => `${e.field}: ${e.message}`);
