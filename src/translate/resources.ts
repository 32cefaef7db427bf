/**
 * Container resources: Kubernetes quantities → JD Cloud's `cpu` / `memoryMB` strings, and the
 * pod's total request that picks an instance type.
 */

import type { JdContainerSpec } from '../jdcloud/models';
import { fieldNotSupported } from '../k8s/field-errors';
import type { Container, PodSpec } from '../k8s/pod';
import { parseQuantity } from '../k8s/quantity';
import type { FieldError } from '../k8s/status';

/** The resources JD Cloud sizes a container by; anything else cannot be honoured. */
const JD_RESOURCES = ['cpu', 'memory'] as const;

/** A pod's or container's size in JD's units. */
export interface Amounts {
  cpuMillis: number;
  memoryMiB: number;
}

/** JD's `cpu` string: whole cores as `"2"`, anything finer in millicores (`"500m"`). */
export const jdCpu = (millis: number): string =>
  millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;

/** JD's `memoryMB` string, in whole MiB (`"1024Mi"`). */
export const jdMemory = (mib: number): string => `${mib}Mi`;

/**
 * Millicores in a cpu quantity, rounded up as Kubernetes does; `toFixed` first so float noise
 * (`0.1 * 1000`) does not round 100 up to 101. Undefined when it does not parse (validation
 * reported that already).
 */
export function cpuMillisOf(q: string | number | undefined): number | undefined {
  const cores = parse(q);
  return cores === undefined ? undefined : Math.ceil(Number((cores * 1000).toFixed(3)));
}

/** Whole MiB in a memory quantity, rounded up so a container never gets less than it asked. */
export function memoryMiBOf(q: string | number | undefined): number | undefined {
  const bytes = parse(q);
  return bytes === undefined ? undefined : Math.ceil(Number((bytes / 2 ** 20).toFixed(6)));
}

function parse(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  try {
    const n = parseQuantity(q);
    return n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

type JdResources = NonNullable<JdContainerSpec['resources']>;

/**
 * A container's JD `resources`, or undefined when it sets none. Resource names other than cpu
 * and memory (GPUs, ephemeral-storage, hugepages) are refused on their exact key.
 */
export function jdResourcesOf(
  c: Container,
  path: string,
  errs: FieldError[],
): JdResources | undefined {
  const out: JdResources = {};
  for (const kind of ['requests', 'limits'] as const) {
    const amounts = c.resources?.[kind];
    if (!amounts) continue;
    for (const name of Object.keys(amounts)) {
      if (!(JD_RESOURCES as readonly string[]).includes(name)) {
        errs.push(fieldNotSupported(`${path}.resources.${kind}[${name}]`, name, JD_RESOURCES));
      }
    }
    const cpu = cpuMillisOf(amounts.cpu);
    const memory = memoryMiBOf(amounts.memory);
    if (cpu === undefined && memory === undefined) continue;
    out[kind] = {
      ...(cpu !== undefined && { cpu: jdCpu(cpu) }),
      ...(memory !== undefined && { memoryMB: jdMemory(memory) }),
    };
  }
  return out.requests || out.limits ? out : undefined;
}

/** What one container asks for: its request, else its limit (Kubernetes defaults one to the other). */
function containerAmounts(c: Container): Amounts {
  const r = c.resources;
  return {
    cpuMillis: cpuMillisOf(r?.requests?.cpu ?? r?.limits?.cpu) ?? 0,
    memoryMiB: memoryMiBOf(r?.requests?.memory ?? r?.limits?.memory) ?? 0,
  };
}

/**
 * The pod's effective request, as the scheduler computes it: the sum over app containers, or the
 * largest init container if that is bigger (init containers run one at a time, before the rest).
 */
export function podAmounts(spec: Pick<PodSpec, 'containers' | 'initContainers'>): Amounts {
  const sum = spec.containers
    .map(containerAmounts)
    .reduce(
      (a, b) => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryMiB: a.memoryMiB + b.memoryMiB }),
      { cpuMillis: 0, memoryMiB: 0 },
    );
  for (const init of (spec.initContainers ?? []).map(containerAmounts)) {
    sum.cpuMillis = Math.max(sum.cpuMillis, init.cpuMillis);
    sum.memoryMiB = Math.max(sum.memoryMiB, init.memoryMiB);
  }
  return sum;
}

/** `cpu 1500m, memory 2048Mi` — for messages. */
export const describeAmounts = (a: Amounts) =>
  `cpu ${jdCpu(a.cpuMillis)}, memory ${jdMemory(a.memoryMiB)}`;
