/**
 * Durable Object RPC results. Errors thrown across RPC lose their class and fields, so store
 * methods return a `StoreResult` and the Worker side turns a failure back into a `StatusError`.
 * Each result also names the JD Cloud calls it took (`jdRequestIds`), for the audit line.
 */
import { type Status, StatusError } from '../k8s/status';
import { asStatus } from './jd-failure';
import { collectJdRequestIds } from './jd-trace';

export type StoreResult<T> = { jdRequestIds?: string[] } & (
  | { ok: true; value: T; warnings?: string[] }
  | { ok: false; status: Status; headers: Record<string, string> }
);

/** A value with the warnings a read carries (see `capture`). */
export type Warned<T> = { value: T; warnings: string[] };

/**
 * Runs `work`, capturing a thrown `StatusError` (or JD failure, as its Status) as a failed
 * result. Other errors propagate.
 */
export async function capture<T>(work: () => Promise<T | Warned<T>>): Promise<StoreResult<T>> {
  const ids: string[] = [];
  const trail = () => (ids.length ? { jdRequestIds: ids } : {});
  try {
    const out = await collectJdRequestIds(ids, work);
    if (out && typeof out === 'object' && 'warnings' in out && 'value' in out) {
      return { ok: true, value: out.value, warnings: out.warnings, ...trail() };
    }
    return { ok: true, value: out as T, ...trail() };
  } catch (thrown) {
    // The store's edge: a typed JD failure becomes the Status the caller sees here, not before.
    const error = asStatus(thrown);
    if (error instanceof StatusError) {
      return { ok: false, status: error.status, headers: error.headers, ...trail() };
    }
    throw error;
  }
}

/** The value of a store result, or its Status thrown as a `StatusError`. */
export function unwrap<T>(result: StoreResult<T>): T {
  if (!result.ok) throw new StatusError(result.status, result.headers);
  return result.value;
}
