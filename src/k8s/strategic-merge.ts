/**
 * Strategic merge patch for pods (k8s.io/apimachinery/pkg/util/strategicpatch, the subset
 * kubectl sends). Lists are merged by the merge keys the core/v1 struct tags declare; lists
 * without a strategy (tolerations, command, args…) are replaced. Directives understood:
 * `$patch: replace|merge|delete`, `$setElementOrder/<list>`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<list>`.
 */
import { ownValue, setOwn } from './merge-patch';
import { badRequest } from './status';

type Json = unknown;
type JsonMap = Record<string, Json>;

const CONTAINER_LISTS = ['spec.containers', 'spec.initContainers', 'spec.ephemeralContainers'];
const CONTAINER_KEYS: Record<string, string> = {
  env: 'name',
  ports: 'containerPort',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  resizePolicy: 'resourceName',
};

/** Merge key per list path (`[]` marks "any element"), from the core/v1 patchMergeKey tags. */
export const MERGE_KEYS: Record<string, string> = {
  ...Object.fromEntries(CONTAINER_LISTS.map((p) => [p, 'name'])),
  ...Object.fromEntries(
    CONTAINER_LISTS.flatMap((p) =>
      Object.entries(CONTAINER_KEYS).map(([k, v]) => [`${p}[].${k}`, v]),
    ),
  ),
  'spec.imagePullSecrets': 'name',
  'spec.schedulingGates': 'name',
  'spec.resourceClaims': 'name',
  'spec.volumes': 'name',
  'spec.hostAliases': 'ip',
  'spec.topologySpreadConstraints': 'topologyKey',
  'metadata.ownerReferences': 'uid',
  'status.conditions': 'type',
  'status.podIPs': 'ip',
  'status.hostIPs': 'ip',
};

/** Lists of scalars merged as sets (`patchStrategy:"merge"` without a key). */
const PRIMITIVE_MERGE = new Set(['metadata.finalizers']);

const isMap = (v: Json): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch to `original` (not mutated).
 *
 * @throws StatusError 400 for a malformed patch (wrong directive, missing merge key).
 */
export function strategicMerge(original: JsonMap, patch: JsonMap): JsonMap {
  return mergeMap(original, patch, '') ?? {};
}

function mergeMap(
  original: JsonMap | undefined,
  patch: JsonMap,
  path: string,
): JsonMap | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive !== undefined && directive !== 'merge')
    throw badRequest(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  const out: JsonMap = { ...(original ?? {}) };
  const retain = ownValue(patch, '$retainKeys');
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('invalid $retainKeys directive: not a list');
    const kept = new Set(retain);
    for (const k of Object.keys(out)) if (!kept.has(k) && !Object.hasOwn(patch, k)) delete out[k];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const list = key.slice(DELETE_PRIMITIVE.length);
      const current = ownValue(out, list);
      if (Array.isArray(current) && Array.isArray(value)) {
        const removed = new Set(value);
        setOwn(
          out,
          list,
          current.filter((v) => !removed.has(v)),
        );
      }
      continue;
    }
    if (key.startsWith('$')) continue;
    const p = child(path, key);
    const existing = ownValue(out, key);
    if (value === null) delete out[key];
    else if (isMap(value)) {
      const merged = mergeMap(isMap(existing) ? existing : undefined, value, p);
      if (merged === undefined) delete out[key];
      else setOwn(out, key, merged);
    } else if (Array.isArray(value)) setOwn(out, key, mergeList(existing, value, p));
    else setOwn(out, key, value);
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const list = key.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw badRequest(`invalid ${key} directive: not a list`);
    const current = ownValue(out, list);
    if (Array.isArray(current))
      setOwn(out, list, applyOrder(current, order, mergeKeyOf(child(path, list))));
  }
  return out;
}

/** The merge key declared for a list path (own entries of the table only). */
const mergeKeyOf = (path: string): string | undefined =>
  Object.hasOwn(MERGE_KEYS, path) ? MERGE_KEYS[path] : undefined;

/** A list element's merge-key value, or undefined for an element without one. */
const keyValueOf = (v: Json, mergeKey: string) =>
  isMap(v) && Object.hasOwn(v, mergeKey) ? v[mergeKey] : undefined;

/**
 * Merges a list by its merge key in one pass over each list: elements are found through an
 * index by key (the first element with a key wins, as a scan from the start would find it).
 */
function mergeList(original: Json, patch: Json[], path: string): Json[] {
  const current = Array.isArray(original) ? original : [];
  const mergeKey = mergeKeyOf(path);
  if (PRIMITIVE_MERGE.has(path)) {
    const present = new Set(current);
    return [...current, ...patch.filter((v) => !present.has(v))];
  }
  if (!mergeKey) return patch.map((v) => (isMap(v) ? stripDirectives(v) : v));
  if (patch.some((v) => isMap(v) && v.$patch === 'replace'))
    return patch.filter((v) => !(isMap(v) && v.$patch === 'replace')).map(stripDirectivesOf);
  const REMOVED = Symbol('removed');
  const out: (Json | typeof REMOVED)[] = [...current];
  const index = new Map<Json, number>();
  out.forEach((o, i) => {
    const k = keyValueOf(o, mergeKey);
    if (k !== undefined && !index.has(k)) index.set(k, i);
  });
  for (const item of patch) {
    if (!isMap(item))
      throw badRequest(`expected a map in the list at ${path}, got ${JSON.stringify(item)}`);
    if (!Object.hasOwn(item, mergeKey))
      throw badRequest(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
      );
    const key = item[mergeKey];
    const at = index.get(key);
    if (item.$patch === 'delete') {
      if (at !== undefined) {
        out[at] = REMOVED;
        index.delete(key);
      }
      continue;
    }
    const merged = mergeMap(at !== undefined ? (out[at] as JsonMap) : undefined, item, `${path}[]`);
    if (at !== undefined) {
      if (merged === undefined) {
        out[at] = REMOVED;
        index.delete(key);
      } else out[at] = merged;
    } else if (merged !== undefined) {
      index.set(key, out.length);
      out.push(merged);
    }
  }
  return out.filter((v): v is Json => v !== REMOVED);
}

const stripDirectivesOf = (v: Json) => (isMap(v) ? stripDirectives(v) : v);

function stripDirectives(map: JsonMap): JsonMap {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(stripDirectivesOf) : stripDirectivesOf(v)]),
  );
}

/**
 * `$setElementOrder`: listed elements first in that order, the rest after in their old order.
 * Ranks come from a map built once, so the cost is O((n + m) log n), not O(n·m).
 */
function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (v: Json) => (mergeKey ? (keyValueOf(v, mergeKey) ?? v) : v);
  const ranks = new Map<Json, number>();
  order.forEach((v, i) => {
    const k = keyOf(v);
    if (!ranks.has(k)) ranks.set(k, i);
  });
  const rank = (v: Json) => ranks.get(keyOf(v)) ?? order.length;
  return list
    .map((v, i) => ({ v, i }))
    .sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i)
    .map(({ v }) => v);
}
