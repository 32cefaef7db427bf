/**
 * Strategic merge patch for pods (k8s.io/apimachinery/pkg/util/strategicpatch, the subset
 * kubectl sends). Lists are merged by the merge keys the core/v1 struct tags declare; lists
 * without a strategy (tolerations, command, args…) are replaced. Directives understood:
 * `$patch: replace|merge|delete`, `$setElementOrder/<list>`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<list>`.
 */
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
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('invalid $retainKeys directive: not a list');
    for (const k of Object.keys(out)) if (!retain.includes(k) && !(k in patch)) delete out[k];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const list = key.slice(DELETE_PRIMITIVE.length);
      const current = out[list];
      if (Array.isArray(current) && Array.isArray(value))
        out[list] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (key.startsWith('$')) continue;
    const p = child(path, key);
    if (value === null) delete out[key];
    else if (isMap(value)) {
      const merged = mergeMap(isMap(out[key]) ? out[key] : undefined, value, p);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) out[key] = mergeList(out[key], value, p);
    else out[key] = value;
  }
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const list = key.slice(SET_ORDER.length);
    if (!Array.isArray(order)) throw badRequest(`invalid ${key} directive: not a list`);
    const current = out[list];
    if (Array.isArray(current))
      out[list] = applyOrder(current, order, MERGE_KEYS[child(path, list)]);
  }
  return out;
}

function mergeList(original: Json, patch: Json[], path: string): Json[] {
  const current = Array.isArray(original) ? original : [];
  const mergeKey = MERGE_KEYS[path];
  if (PRIMITIVE_MERGE.has(path)) return [...current, ...patch.filter((v) => !current.includes(v))];
  if (!mergeKey) return patch.map((v) => (isMap(v) ? stripDirectives(v) : v));
  if (patch.some((v) => isMap(v) && v.$patch === 'replace'))
    return patch.filter((v) => !(isMap(v) && v.$patch === 'replace')).map(stripDirectivesOf);
  const out = [...current];
  for (const item of patch) {
    if (!isMap(item))
      throw badRequest(`expected a map in the list at ${path}, got ${JSON.stringify(item)}`);
    if (!(mergeKey in item))
      throw badRequest(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
      );
    const at = out.findIndex((o) => isMap(o) && o[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    const merged = mergeMap(at >= 0 ? (out[at] as JsonMap) : undefined, item, `${path}[]`);
    if (at >= 0) {
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else if (merged !== undefined) out.push(merged);
  }
  return out;
}

const stripDirectivesOf = (v: Json) => (isMap(v) ? stripDirectives(v) : v);

function stripDirectives(map: JsonMap): JsonMap {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([k]) => !k.startsWith('$'))
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(stripDirectivesOf) : stripDirectivesOf(v)]),
  );
}

/** `$setElementOrder`: listed elements first in that order, the rest after in their old order. */
function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (v: Json) => (mergeKey && isMap(v) ? v[mergeKey] : v);
  const wanted = order.map(keyOf);
  const rank = (v: Json) => {
    const i = wanted.indexOf(keyOf(v));
    return i < 0 ? wanted.length : i;
  };
  return list
    .map((v, i) => ({ v, i }))
    .sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i)
    .map(({ v }) => v);
}
