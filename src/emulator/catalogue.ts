/**
 * What the emulated JD Cloud offers: regions with their availability zones, and the instance-type
 * catalogue that createPods, resizePod and describeInstanceTypes check against.
 */

/** Regions offering the pod service, with their AZs (JD's Native-Container restrictions doc). */
export const REGIONS: Readonly<Record<string, readonly string[]>> = {
  'cn-north-1': ['cn-north-1a', 'cn-north-1b'],
  'cn-east-2': ['cn-east-2a', 'cn-east-2b'],
  'cn-south-1': ['cn-south-1a'],
};

export const isRegion = (regionId: string): boolean => Object.hasOwn(REGIONS, regionId);

export const azsOf = (regionId: string): readonly string[] => REGIONS[regionId] ?? [];

/** An entry of describeInstanceTypes, in JD's field names. */
export interface InstanceType {
  family: string;
  instanceType: string;
  cpu: number;
  memoryMB: number;
  nicLimit: number;
  desc: string;
  state: { az: string; inStock: boolean; online: boolean }[];
  cloudDiskTypes: string[];
}

const SHAPES: readonly [family: string, desc: string, sizes: [string, number, number][]][] = [
  [
    'g.n2',
    'general purpose',
    [
      ['medium', 1, 4096],
      ['large', 2, 8192],
      ['xlarge', 4, 16384],
      ['2xlarge', 8, 32768],
    ],
  ],
  [
    'c.n2',
    'compute optimised',
    [
      ['large', 2, 4096],
      ['xlarge', 4, 8192],
    ],
  ],
  [
    'm.n2',
    'memory optimised',
    [
      ['large', 2, 16384],
      ['xlarge', 4, 32768],
    ],
  ],
];

/** Every instance type offered in `regionId`, in stock and online in each of its AZs. */
export function instanceTypesOf(regionId: string): InstanceType[] {
  return SHAPES.flatMap(([family, desc, sizes]) =>
    sizes.map(([size, cpu, memoryMB]) => ({
      family,
      instanceType: `${family}.${size}`,
      cpu,
      memoryMB,
      nicLimit: 1,
      desc: `${desc}, ${cpu} vCPU ${memoryMB / 1024} GiB`,
      state: azsOf(regionId).map((az) => ({ az, inStock: true, online: true })),
      cloudDiskTypes: ['hdd.std1', 'ssd.gp1', 'ssd.io1'],
    })),
  );
}

export const isInstanceType = (name: string): boolean =>
  SHAPES.some(([family, , sizes]) => sizes.some(([size]) => `${family}.${size}` === name));
