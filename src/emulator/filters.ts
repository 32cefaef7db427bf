/**
 * List queries as the SDKs encode them (reference §2.5): `pageNumber`, `pageSize`,
 * `filters.N.name` / `filters.N.values.M` / `filters.N.operator`, `tags.N.key` /
 * `tags.N.values.M`, all 1-based. Values within a filter are OR-ed, filters AND-ed; each filter
 * name is either exact (several values allowed) or fuzzy (substring, a single value).
 */
import { invalidArgument } from './envelope';

export type FilterKind = 'exact' | 'fuzzy';

/** Which filter names an operation accepts, and how each matches. */
export type FilterRules = Readonly<Record<string, FilterKind>>;

export const POD_FILTERS: FilterRules = {
  podId: 'exact',
  privateIpAddress: 'fuzzy',
  az: 'exact',
  vpcId: 'exact',
  phase: 'exact',
  name: 'fuzzy',
  subnetId: 'exact',
  agId: 'exact',
};

export const SECRET_FILTERS: FilterRules = { name: 'fuzzy' };
export const INSTANCE_TYPE_FILTERS: FilterRules = { instanceTypes: 'exact', az: 'exact' };

export interface Filter {
  name: string;
  values: string[];
}

export interface TagFilter {
  key: string;
  values: string[];
}

export interface ListQuery {
  pageNumber: number;
  pageSize: number;
  filters: Filter[];
  tags: TagFilter[];
}

/** `prefix.N.field[.M]` entries grouped by N (ascending), values ordered by M. */
function groupIndexed(query: URLSearchParams, prefix: string) {
  type Group = { fields: Map<string, string>; values: [number, string][] };
  const groups = new Map<number, Group>();
  const pattern = new RegExp(`^${prefix}\\.(\\d+)\\.([a-zA-Z]+)(?:\\.(\\d+))?$`);
  for (const [key, value] of query) {
    const m = pattern.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    const group: Group = groups.get(n) ?? { fields: new Map(), values: [] };
    groups.set(n, group);
    if (m[2] === 'values' && m[3] !== undefined) group.values.push([Number(m[3]), value]);
    else group.fields.set(m[2] ?? '', value);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, g]) => ({
      n,
      fields: g.fields,
      values: g.values.sort(([a], [b]) => a - b).map(([, v]) => v),
    }));
}

function pageParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
) {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArgument(name, `must be an integer in [${min},${max}]`);
  }
  return n;
}

/**
 * Parses pagination, filters and tag filters, rejecting filter names `rules` does not know and
 * several values for a fuzzy filter (400 INVALID_ARGUMENT naming the parameter).
 */
export function parseListQuery(query: URLSearchParams, rules: FilterRules): ListQuery {
  const pageNumber = pageParam(query, 'pageNumber', 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = pageParam(query, 'pageSize', 20, 10, 100);
  const filters = groupIndexed(query, 'filters').map(({ n, fields, values }) => {
    const name = fields.get('name');
    if (!name) throw invalidArgument(`filters.${n}.name`, 'is required');
    const kind = rules[name];
    if (!kind) {
      throw invalidArgument(
        `filters.${n}.name`,
        `unsupported filter ${name}; supported: ${Object.keys(rules).join(', ')}`,
      );
    }
    if (kind === 'fuzzy' && values.length > 1) {
      throw invalidArgument(`filters.${n}.values`, `filter ${name} takes a single value`);
    }
    return { name, values };
  });
  const tags = groupIndexed(query, 'tags').map(({ n, fields, values }) => {
    const key = fields.get('key');
    if (!key) throw invalidArgument(`tags.${n}.key`, 'is required');
    return { key, values };
  });
  return { pageNumber, pageSize, filters, tags };
}

/** Whether an item's fields satisfy every filter (a filter without values matches all). */
export function matchesFilters(
  fields: Readonly<Record<string, string | readonly string[] | undefined>>,
  filters: readonly Filter[],
  rules: FilterRules,
): boolean {
  return filters.every(({ name, values }) => {
    if (values.length === 0) return true;
    const own = fields[name];
    const candidates = own === undefined ? [] : typeof own === 'string' ? [own] : own;
    return rules[name] === 'fuzzy'
      ? candidates.some((c) => values.some((v) => c.includes(v)))
      : candidates.some((c) => values.includes(c));
  });
}

/** Whether tags satisfy every tag filter: the key present, with one of the values if any given. */
export function matchesTags(
  tags: readonly { key: string; value?: string }[],
  filters: readonly TagFilter[],
): boolean {
  return filters.every(({ key, values }) =>
    tags.some((t) => t.key === key && (values.length === 0 || values.includes(t.value ?? ''))),
  );
}

/** One page of `items` (1-based page number). */
export function paginate<T>(items: readonly T[], pageNumber: number, pageSize: number): T[] {
  const start = (pageNumber - 1) * pageSize;
  return items.slice(start, start + pageSize);
}
