/**
 * Turns a request body or query into typed parameters, or a 400 INVALID_ARGUMENT whose message
 * names the first offending field the way JD's docs spell it: `podSpec.containers[0].image`.
 */
import type * as z from 'zod';
import { invalidArgument } from './envelope';

/** `['podSpec', 'containers', 0, 'image']` → `podSpec.containers[0].image`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/**
 * Drops `null` values, recursively: the Go and Python SDKs send `null` for every unset optional
 * field, which JD treats as absent.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

/** Parses `input` with `schema`, or throws 400 INVALID_ARGUMENT naming the first bad field. */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(withoutNulls(input ?? {}), { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw invalidArgument('body', 'is invalid');
  // A required enum or literal reports `invalid_value`, not `invalid_type`, when absent.
  const missing = 'input' in issue && issue.input === undefined && issue.code !== 'custom';
  throw invalidArgument(fieldPath(issue.path) || 'body', missing ? 'is required' : issue.message);
}
