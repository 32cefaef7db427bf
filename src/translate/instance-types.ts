/**
 * Choosing a JD Cloud instance type from the describeInstanceTypes catalogue.
 */
import type { JdInstanceType } from '../jdcloud/models';
import type { Amounts } from './resources';

/** Whether JD Cloud sells `type` in `az` right now: listed there, online and in stock. */
export const availableIn = (type: JdInstanceType, az: string): boolean =>
  (type.state ?? []).some((s) => s.az === az && s.online === true && s.inStock === true);

/** Whether a type is at least as large as `need`. */
export const fits = (type: JdInstanceType, need: Amounts): boolean =>
  (type.cpu ?? 0) * 1000 >= need.cpuMillis && (type.memoryMB ?? 0) >= need.memoryMiB;

/**
 * The smallest type available in `az` that fits `need`: fewest vCPUs, then least memory, then
 * name (so the choice is stable when two types are the same size). Undefined when none fits.
 *
 * @example chooseInstanceType(catalogue, 'cn-north-1a', { cpuMillis: 1500, memoryMiB: 1024 })
 *          // → the 2-vCPU type with the least memory, e.g. c.n2.large
 */
export function chooseInstanceType(
  catalogue: readonly JdInstanceType[],
  az: string,
  need: Amounts,
): JdInstanceType | undefined {
  return catalogue
    .filter((t) => availableIn(t, az) && fits(t, need))
    .sort(
      (a, b) =>
        (a.cpu ?? 0) - (b.cpu ?? 0) ||
        (a.memoryMB ?? 0) - (b.memoryMB ?? 0) ||
        a.instanceType.localeCompare(b.instanceType),
    )[0];
}
