import { describe, expect, it } from 'vitest';
import type { Volume } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { lines } from './test-fixtures';
import { JD_DISK_CSI_DRIVER, jdVolumesOf } from './volumes';

function translate(volumes: Volume[]) {
  const errs: FieldError[] = [];
  return { volumes: jdVolumesOf(volumes, errs), errors: lines(errs) };
}
const disk = (volumeAttributes: Record<string, string>, extra = {}): Volume => ({
  name: 'data',
  csi: { driver: JD_DISK_CSI_DRIVER, volumeAttributes, ...extra },
});

describe('jdVolumesOf', () => {
  it('maps emptyDir with and without a size', () => {
    expect(
      translate([
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: { sizeLimit: '1Gi' } },
      ]),
    ).toEqual({
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: { sizeMB: 1024 } },
      ],
      errors: [],
    });
  });

  it('keeps emptyDir inside JD’s 10-1024 MiB and on disk', () => {
    expect(
      translate([{ name: 'a', emptyDir: { sizeLimit: '2Gi', medium: 'Memory' } }]).errors,
    ).toEqual([
      'spec.volumes[0].emptyDir.medium: Unsupported value: "Memory": supported values: ""',
      'spec.volumes[0].emptyDir.sizeLimit: Invalid value: "2Gi": must be between 10Mi and 1024Mi (JD Cloud limit)',
    ]);
  });

  it('maps a JD disk CSI volume to jdcloudDisk', () => {
    expect(
      translate([
        disk(
          { sizeGB: '100', diskType: 'ssd.io1', iops: '3000', autoDelete: 'false' },
          { fsType: 'ext4' },
        ),
      ]),
    ).toEqual({
      volumes: [
        {
          name: 'data',
          jdcloudDisk: {
            fsType: 'ext4',
            diskType: 'ssd.io1',
            sizeGB: 100,
            iops: 3000,
            autoDelete: false,
          },
        },
      ],
      errors: [],
    });
    expect(translate([disk({ volumeId: 'vol-123', formatVolume: 'true' })]).volumes).toEqual([
      { name: 'data', jdcloudDisk: { fsType: 'xfs', volumeId: 'vol-123', formatVolume: true } },
    ]);
  });

  it('names every bad disk attribute', () => {
    const r = translate([
      disk(
        { sizeGB: '15', diskType: 'nvme', autoDelete: 'yes', colour: 'red' },
        { readOnly: true },
      ),
    ]);
    expect(r.errors).toEqual([
      'spec.volumes[0].csi.readOnly: Forbidden: set readOnly on the volumeMounts instead',
      'spec.volumes[0].csi.volumeAttributes: Unsupported value: "colour": supported values: "volumeId", "snapshotId", "diskType", "sizeGB", "fsType", "formatVolume", "iops", "autoDelete"',
      'spec.volumes[0].csi.volumeAttributes[diskType]: Unsupported value: "nvme": supported values: "hdd.std1", "ssd.gp1", "ssd.io1"',
      'spec.volumes[0].csi.volumeAttributes[sizeGB]: Invalid value: "15": must be an integer between 20 and 4000 in steps of 10',
      'spec.volumes[0].csi.volumeAttributes[autoDelete]: Unsupported value: "yes": supported values: "true", "false"',
      'spec.volumes[0].csi.volumeAttributes: Invalid value: "": must give volumeId, snapshotId or sizeGB',
    ]);
  });

  it('refuses other drivers and volume kinds, and more than 7 volumes', () => {
    expect(translate([{ name: 'x', csi: { driver: 'ebs.csi.aws.com' } }]).errors).toEqual([
      `spec.volumes[0].csi.driver: Unsupported value: "ebs.csi.aws.com": supported values: "${JD_DISK_CSI_DRIVER}"`,
    ]);
    expect(
      translate([
        { name: 'p', persistentVolumeClaim: { claimName: 'c' } },
        { name: 's', secret: { secretName: 's' } },
      ]).errors,
    ).toEqual([
      'spec.volumes[0]: Unsupported value: "persistentVolumeClaim": supported values: "csi", "emptyDir"',
      'spec.volumes[1]: Unsupported value: "secret": supported values: "csi", "emptyDir"',
    ]);
    const eight = Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, emptyDir: {} }));
    expect(translate(eight).errors).toEqual([
      'spec.volumes: Too many: 8: must have at most 7 items',
    ]);
  });
});
