/**
 * Query strings for JD Cloud list calls. Lists use JD Cloud's numbered keys
 * (`filters.1.name`, `filters.1.values.1`, `tags.1.key`, …; 1-based), and every key and value is
 * encoded with only unreserved characters kept, so the wire form already is the canonical form.
 */

import { uriEscape } from './signature';
import type { JdFilter, JdTagFilter } from './specs';

/** Query parameters in the order they are sent; `undefined` values are left out. */
export type QueryPairs = readonly (readonly [string, string | number | boolean | undefined])[];

/** `a=1&b=x%20y`: pairs encoded unreserved-only, in order. */
export function encodeQuery(pairs: QueryPairs): string {
  return pairs
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${uriEscape(key)}=${uriEscape(String(value))}`)
    .join('&');
}

/**
 * `filters.N.name`, `filters.N.operator`, `filters.N.values.M`. Like the JS SDK, a filter with
 * no values is dropped and the rest are renumbered, because JD Cloud rejects an empty filter.
 */
export function filterParams(filters: readonly JdFilter[] | undefined): QueryPairs {
  const kept = (filters ?? []).filter((f) => f.values.length > 0);
  return kept.flatMap((filter, i) => {
    const prefix = `filters.${i + 1}`;
    return [
      [`${prefix}.name`, filter.name] as const,
      ...(filter.operator ? [[`${prefix}.operator`, filter.operator] as const] : []),
      ...filter.values.map((value, j) => [`${prefix}.values.${j + 1}`, value] as const),
    ];
  });
}

/** `tags.N.key`, `tags.N.values.M` (a tag filter with no values matches any value of the key). */
export function tagParams(tags: readonly JdTagFilter[] | undefined): QueryPairs {
  return (tags ?? []).flatMap((tag, i) => [
    [`tags.${i + 1}.key`, tag.key] as const,
    ...tag.values.map((value, j) => [`tags.${i + 1}.values.${j + 1}`, value] as const),
  ]);
}
