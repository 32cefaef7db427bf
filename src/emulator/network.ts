/**
 * Networking is not emulated beyond what a pod shows: private IPs from 10.0.0.0/16, a VPC id
 * derived from the subnet id, and a public address derived from an elastic IP id.
 */

/** The first address handed out; JD, like most clouds, reserves the first few of a subnet. */
const FIRST_HOST = 4;
const LAST_HOST = 256 * 256 - 2;

/** The lowest free address of 10.0.0.0/16 not in `used`. */
export function allocateIp(used: ReadonlySet<string>): string {
  for (let n = FIRST_HOST; n <= LAST_HOST; n++) {
    const ip = `10.0.${n >> 8}.${n & 255}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error('10.0.0.0/16 is exhausted');
}

/** FNV-1a, for ids that must be stable functions of other ids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The VPC a subnet belongs to: stable, so pods of one subnet share a `vpcId`. */
export const vpcIdOf = (subnetId: string): string =>
  `vpc-${fnv1a(subnetId).toString(36).padStart(7, '0')}`;

/** A public address in 114.67.0.0/16 (a JD Cloud range), stable per elastic IP id. */
export function elasticIpAddressOf(elasticIpId: string): string {
  const h = fnv1a(elasticIpId);
  return `114.67.${(h >> 8) & 255}.${Math.max(1, h & 255)}`;
}
