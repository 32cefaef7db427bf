/**
 * Pod volumes ⇄ JD Cloud volumes.
 *
 * | Kubernetes                                   | JD Cloud                          |
 * |----------------------------------------------|-----------------------------------|
 * | `emptyDir` (`sizeLimit` 10Mi-1Gi)            | `emptyDir.sizeMB`                 |
 * | `csi` with driver `disk.csi.jdcloud.com`     | `jdcloudDisk` (attributes below)  |
 * | anything else (hostPath, configMap, secret, PVC, nfs, …) | refused: `Unsupported value` |
 *
 * Disk attributes (`csi.volumeAttributes`, all strings as Kubernetes requires): `volumeId`
 * (an existing disk) or `snapshotId`, `diskType` (hdd.std1, ssd.gp1, ssd.io1), `sizeGB`
 * (20-4000, step 10), `fsType` (xfs, ext4; also `csi.fsType`), `formatVolume`, `iops`,
 * `autoDelete` (`"true"`/`"false"`). Inline CSI volumes are how Kubernetes itself names a
 * driver-specific disk in a Pod, so no annotation is needed.
 */

import type { JdCloudDiskSpec, JdVolumeSpec } from '../jdcloud/specs';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../k8s/field-errors';
import type { Volume } from '../k8s/pod';
import type { FieldError } from '../k8s/status';
import { fieldTooMany, NOT_ON_JDCLOUD } from './field-errors';
import { memoryMiBOf } from './resources';

export const JD_DISK_CSI_DRIVER = 'disk.csi.jdcloud.com';
/** createPods: `volumes` has 0-7 items. */
export const MAX_JD_VOLUMES = 7;
const SUPPORTED = ['csi', 'emptyDir'];
const EMPTY_DIR_MIB = { min: 10, max: 1024 };
const DISK_TYPES = ['hdd.std1', 'ssd.gp1', 'ssd.io1'] as const;
const FS_TYPES = ['xfs', 'ext4'] as const;
const BOOLS = ['true', 'false'];
const DISK_ATTRIBUTES = [
  'volumeId',
  'snapshotId',
  'diskType',
  'sizeGB',
  'fsType',
  'formatVolume',
  'iops',
  'autoDelete',
];

type Csi = NonNullable<Volume['csi']>;

function jdDiskOf(csi: Csi, path: string, errs: FieldError[]): JdCloudDiskSpec {
  if (csi.readOnly)
    errs.push(fieldForbidden(`${path}.readOnly`, 'set readOnly on the volumeMounts instead'));
  if (csi.nodePublishSecretRef)
    errs.push(fieldForbidden(`${path}.nodePublishSecretRef`, NOT_ON_JDCLOUD));
  const attrs = csi.volumeAttributes ?? {};
  const at = (k: string) => `${path}.volumeAttributes[${k}]`;
  for (const k of Object.keys(attrs))
    if (!DISK_ATTRIBUTES.includes(k))
      errs.push(fieldNotSupported(`${path}.volumeAttributes`, k, DISK_ATTRIBUTES));
  const disk: JdCloudDiskSpec = { fsType: 'xfs' };
  const fsType = attrs.fsType ?? csi.fsType;
  if (fsType !== undefined) {
    if ((FS_TYPES as readonly string[]).includes(fsType))
      disk.fsType = fsType as JdCloudDiskSpec['fsType'];
    else
      errs.push(
        fieldNotSupported(attrs.fsType ? at('fsType') : `${path}.fsType`, fsType, FS_TYPES),
      );
  }
  if (attrs.volumeId) disk.volumeId = attrs.volumeId;
  if (attrs.snapshotId) disk.snapshotId = attrs.snapshotId;
  if (attrs.diskType !== undefined) {
    if ((DISK_TYPES as readonly string[]).includes(attrs.diskType))
      disk.diskType = attrs.diskType as JdCloudDiskSpec['diskType'];
    else errs.push(fieldNotSupported(at('diskType'), attrs.diskType, DISK_TYPES));
  }
  if (attrs.sizeGB !== undefined) {
    const n = Number(attrs.sizeGB);
    if (/^\d+$/.test(attrs.sizeGB) && n >= 20 && n <= 4000 && n % 10 === 0) disk.sizeGB = n;
    else
      errs.push(
        fieldInvalid(
          at('sizeGB'),
          attrs.sizeGB,
          'must be an integer between 20 and 4000 in steps of 10',
        ),
      );
  }
  if (attrs.iops !== undefined) {
    if (/^\d+$/.test(attrs.iops)) disk.iops = Number(attrs.iops);
    else errs.push(fieldInvalid(at('iops'), attrs.iops, 'must be a non-negative integer'));
  }
  for (const k of ['formatVolume', 'autoDelete'] as const) {
    const v = attrs[k];
    if (v === undefined) continue;
    if (BOOLS.includes(v)) disk[k] = v === 'true';
    else errs.push(fieldNotSupported(at(k), v, BOOLS));
  }
  if (!disk.volumeId && !disk.snapshotId && disk.sizeGB === undefined) {
    errs.push(
      fieldInvalid(`${path}.volumeAttributes`, '', 'must give volumeId, snapshotId or sizeGB'),
    );
  }
  return disk;
}

/** The JD volumes for a Pod's volumes, refusing every kind JD Cloud cannot provide. */
export function jdVolumesOf(
  volumes: readonly Volume[] | undefined,
  errs: FieldError[],
): JdVolumeSpec[] | undefined {
  if (!volumes?.length) return undefined;
  if (volumes.length > MAX_JD_VOLUMES)
    errs.push(fieldTooMany('spec.volumes', volumes.length, MAX_JD_VOLUMES));
  return volumes.map((v, i) => {
    const path = `spec.volumes[${i}]`;
    // Every key but `name` is a volume source; any outside the supported ones is refused.
    const kinds = Object.keys(v).filter((k) => k !== 'name' && v[k as keyof Volume] !== undefined);
    for (const kind of kinds)
      if (!SUPPORTED.includes(kind)) errs.push(fieldNotSupported(path, kind, SUPPORTED));
    if (v.csi) {
      if (v.csi.driver !== JD_DISK_CSI_DRIVER) {
        errs.push(fieldNotSupported(`${path}.csi.driver`, v.csi.driver, [JD_DISK_CSI_DRIVER]));
        return { name: v.name };
      }
      return { name: v.name, jdcloudDisk: jdDiskOf(v.csi, `${path}.csi`, errs) };
    }
    const emptyDir = v.emptyDir ?? {};
    if (emptyDir.medium)
      errs.push(fieldNotSupported(`${path}.emptyDir.medium`, emptyDir.medium, ['']));
    if (emptyDir.sizeLimit === undefined) return { name: v.name, emptyDir: {} };
    const sizeMB = memoryMiBOf(emptyDir.sizeLimit);
    if (sizeMB === undefined || sizeMB < EMPTY_DIR_MIB.min || sizeMB > EMPTY_DIR_MIB.max) {
      errs.push(
        fieldInvalid(
          `${path}.emptyDir.sizeLimit`,
          String(emptyDir.sizeLimit),
          `must be between ${EMPTY_DIR_MIB.min}Mi and ${EMPTY_DIR_MIB.max}Mi (JD Cloud limit)`,
        ),
      );
    }
    return { name: v.name, emptyDir: { sizeMB: sizeMB ?? EMPTY_DIR_MIB.min } };
  });
}
