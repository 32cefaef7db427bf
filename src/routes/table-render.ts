/**
 * Content negotiation for pod reads: kubectl `get` asks for `application/json;as=Table;v=v1;
 * g=meta.k8s.io` and gets a server-side Table (k8s/table.ts); everyone else gets the Pod or
 * PodList. `includeObject` picks what each row carries (default PartialObjectMetadata).
 */
import type { Pod, PodList, Table } from '../k8s/pod';
import { badRequest } from '../k8s/status';
import { type IncludeObject, podTable, wantsTable } from '../k8s/table';

/** The media type kubectl's Table requests name; the OpenAPI documents it as such. */
export const TABLE_MEDIA_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const INCLUDE_OBJECT = new Set<string>(['None', 'Metadata', 'Object']);

/** `includeObject` from the query; 400 for a value the apiserver would not accept. */
export function includeObjectOf(value: string | undefined): IncludeObject {
  if (value === undefined || value === '') return 'Metadata';
  if (!INCLUDE_OBJECT.has(value)) {
    throw badRequest(
      `includeObject: Unsupported value: ${JSON.stringify(value)}: supported values: "Metadata", "None", "Object"`,
    );
  }
  return value as IncludeObject;
}

export interface ReadOptions {
  accept: string | undefined;
  includeObject?: string | undefined;
  now?: Date;
}

/** A PodList, or its Table when the Accept header asks for one. */
export function renderPodList(list: PodList, options: ReadOptions): PodList | Table {
  if (!wantsTable(options.accept)) return list;
  return podTable(list.items, {
    now: options.now ?? new Date(),
    ...(list.metadata.resourceVersion ? { resourceVersion: list.metadata.resourceVersion } : {}),
    ...(list.metadata.continue ? { continue: list.metadata.continue } : {}),
    includeObject: includeObjectOf(options.includeObject),
  });
}

/** A Pod, or a one-row Table when the Accept header asks for one. */
export function renderPod(pod: Pod, options: ReadOptions): Pod | Table {
  if (!wantsTable(options.accept)) return pod;
  return podTable([pod], {
    now: options.now ?? new Date(),
    ...(pod.metadata.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
    includeObject: includeObjectOf(options.includeObject),
  });
}
