/**
 * Semantic equality and a readable diff over JSON objects, standing in for Go's
 * `apiequality.Semantic.DeepEqual` and `cmp.Diff` on decoded structs.
 */

/**
 * Go decodes a missing field, `null`, `""` and an empty list to the same zero value, so they
 * compare equal; drop them before comparing.
 */
function isZero(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Lists every path where `a` and `b` differ, with both values (`undefined` when absent). */
export function jsonDifferences(
  a: unknown,
  b: unknown,
  path = '',
): { path: string; before: unknown; after: unknown }[] {
  if (isZero(a) && isZero(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const out = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      out.push(...jsonDifferences(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (a === b) return [];
  return [{ path, before: isZero(a) ? undefined : a, after: isZero(b) ? undefined : b }];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * True when the two values decode to equal Go structs (see `isZero`): `jsonDifferences` is
 * empty. Stops at the first difference and allocates nothing, as every read of a pod asks it.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b || (isZero(a) && isZero(b))) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (!semanticEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k in a) if (!semanticEqual(a[k], b[k])) return false;
    for (const k in b) if (!Object.hasOwn(a, k) && !isZero(b[k])) return false;
    return true;
  }
  return false;
}

/**
 * A `cmp.Diff`-like rendering: `-` lines hold the old value, `+` lines the new one, under a
 * `core.<Type>{` header so it reads like the apiserver's message.
 */
export function renderDiff(typeName: string, before: unknown, after: unknown): string {
  const lines = [`  core.${typeName}{`];
  for (const d of jsonDifferences(before, after)) {
    if (d.before !== undefined) lines.push(`- \t${d.path}: ${JSON.stringify(d.before)},`);
    if (d.after !== undefined) lines.push(`+ \t${d.path}: ${JSON.stringify(d.after)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}
