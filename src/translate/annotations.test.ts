import { describe, expect, it } from 'vitest';
import type { FieldError } from '../k8s/status';
import { JD_ANNOTATION_KEYS, placementOf } from './annotations';
import { CATALOGUE, lines, NS } from './test-fixtures';

const none = { cpuMillis: 0, memoryMiB: 0 };
function place(annotations: Record<string, string>, need = none, catalogue = CATALOGUE) {
  const errs: FieldError[] = [];
  const placement = placementOf(annotations, NS, need, catalogue, errs);
  return { placement, errors: lines(errs) };
}
const at = (key: string) => `metadata.annotations[jdcloud.com/${key}]`;

describe('placementOf', () => {
  it('uses the namespace defaults without annotations', () => {
    expect(place({})).toEqual({
      placement: {
        instanceType: 'g.n2.medium',
        az: 'cn-north-1a',
        subnetId: 'subnet-dev0north',
        securityGroupIds: ['sg-dev0north'],
        systemDisk: { diskType: 'ssd.gp1', sizeGB: 20 },
      },
      errors: [],
    });
  });

  it('names each bad annotation', () => {
    const { errors } = place({
      'jdcloud.com/az': 'cn-east-2a',
      'jdcloud.com/subnet-id': 'net-1',
      'jdcloud.com/security-group-ids': 'sg-1,sg-2,sg-3,sg-4,sg-5,sg-6',
      'jdcloud.com/elastic-ip-bandwidth-mbps': '101',
      'jdcloud.com/system-disk-type': 'nvme',
      'jdcloud.com/system-disk-size-gb': '25',
      'jdcloud.com/instancetype': 'x',
    });
    expect(errors).toEqual([
      `metadata.annotations: Unsupported value: "jdcloud.com/instancetype": supported values: ${JD_ANNOTATION_KEYS.map((k) => `"${k}"`).join(', ')}`,
      `${at('az')}: Invalid value: "cn-east-2a": must be an availability zone of cn-north-1`,
      `${at('subnet-id')}: Invalid value: "net-1": must be a subnet id (subnet-…)`,
      `${at('security-group-ids')}: Invalid value: "sg-1,sg-2,sg-3,sg-4,sg-5,sg-6": must be at most 5 comma-separated security group ids (sg-…)`,
      `${at('elastic-ip-bandwidth-mbps')}: Invalid value: "101": must be an integer between 1 and 100`,
      `${at('system-disk-type')}: Unsupported value: "nvme": supported values: "hdd.std1", "ssd.gp1", "ssd.io1"`,
      `${at('system-disk-size-gb')}: Invalid value: "25": must be an integer between 20 and 100 in steps of 10`,
    ]);
  });

  it('checks a named instance type against the catalogue', () => {
    expect(place({ 'jdcloud.com/instance-type': 'x.huge' }).errors).toEqual([
      `${at('instance-type')}: Unsupported value: "x.huge": supported values: "c.n2.large", "g.n2.large", "g.n2.medium", "g.n2.xlarge"`,
    ]);
    expect(
      place({ 'jdcloud.com/instance-type': 'g.n2.medium' }, { cpuMillis: 2000, memoryMiB: 0 })
        .errors,
    ).toEqual([
      `${at('instance-type')}: Invalid value: "g.n2.medium": has 1 vCPU and 4096Mi, less than the pod requests (cpu 2, memory 0Mi)`,
    ]);
    const soldOut = CATALOGUE.map((t) => ({
      ...t,
      state: [{ az: 'cn-north-1a', inStock: false, online: true }],
    }));
    expect(place({ 'jdcloud.com/instance-type': 'g.n2.large' }, none, soldOut).errors).toEqual([
      `${at('instance-type')}: Invalid value: "g.n2.large": is not available in cn-north-1a`,
    ]);
    // Without a catalogue the name goes to JD Cloud as given.
    expect(place({ 'jdcloud.com/instance-type': 'x.huge' }, none, []).placement.instanceType).toBe(
      'x.huge',
    );
  });

  it('chooses in the annotated az', () => {
    const onlyB = [
      {
        instanceType: 'b.only',
        cpu: 8,
        memoryMB: 8192,
        state: [{ az: 'cn-north-1b', inStock: true, online: true }],
      },
    ];
    expect(
      place({ 'jdcloud.com/az': 'cn-north-1b' }, { cpuMillis: 100, memoryMiB: 0 }, onlyB).placement,
    ).toMatchObject({
      az: 'cn-north-1b',
      instanceType: 'b.only',
    });
  });

  it('needs a bandwidth for an elastic IP provider', () => {
    expect(place({ 'jdcloud.com/elastic-ip-provider': 'bgp' }).errors).toEqual([
      `${at('elastic-ip-provider')}: Forbidden: requires jdcloud.com/elastic-ip-bandwidth-mbps`,
    ]);
    expect(place({ 'jdcloud.com/elastic-ip-bandwidth-mbps': '5' }).placement.elasticIp).toEqual({
      bandwidthMbps: 5,
    });
  });

  it('leaves other annotations alone', () => {
    expect(
      place({ 'example.com/x': 'y', 'kubectl.kubernetes.io/last-applied-configuration': '{}' })
        .errors,
    ).toEqual([]);
  });
});
