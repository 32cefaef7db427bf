/**
 * Pure list mechanics: selectors, name order, `limit`/`continue` pagination with opaque tokens.
 */
import type { Pod } from '../k8s/pod';
import { badRequest } from '../k8s/status';

export interface ListOptions {
  /** "0", or a version handed out: answered from storage without a refresh from JD Cloud. */
  resourceVersion?: string;
  /** How `resourceVersion` is matched (snapshots.ts); absent: the apiserver's legacy rule. */
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface Page {
  items: Pod[];
  continue?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  /** The list's resourceVersion when the first page was served. */
  rv: string;
  /** `namespace/name` of the last item served; the next page starts after it. */
  after: string;
}

const sortKey = (pod: Pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

const malformedContinue = () =>
  badRequest('continue key is not valid: the provided continue parameter is malformed');

function encodeContinue(token: ContinueToken): string {
  return btoa(JSON.stringify(token)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Decodes a `continue` token, or answers 400 as the apiserver does for a malformed one. */
function decodeContinue(text: string): ContinueToken {
  try {
    const json = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    const token = JSON.parse(json) as Partial<ContinueToken>;
    if (typeof token.rv === 'string' && typeof token.after === 'string') {
      return { rv: token.rv, after: token.after };
    }
  } catch {
    // fall through to the 400 below
  }
  throw malformedContinue();
}

/** The resourceVersion a `continue` token's list was served at (400 for a malformed token). */
export function tokenVersion(text: string): number {
  const rv = Number(decodeContinue(text).rv);
  if (!Number.isSafeInteger(rv) || rv < 0) {
    throw malformedContinue();
  }
  return rv;
}

/**
 * One page of `objects` (already filtered) in the order of `keyOf` (`namespace/name`). The token
 * remembers the list's resourceVersion so every page of one listing reports the same version.
 */
export function pageOf<T>(
  objects: readonly T[],
  keyOf: (object: T) => string,
  options: Pick<ListOptions, 'limit' | 'continue'>,
  resourceVersion: string,
): { items: T[]; resourceVersion: string; continue?: string; remainingItemCount?: number } {
  const sorted = [...objects].sort((a, b) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
  );
  let start = 0;
  let rv = resourceVersion;
  if (options.continue) {
    const token = decodeContinue(options.continue);
    rv = token.rv;
    start = sorted.findIndex((object) => keyOf(object) > token.after);
    if (start < 0) start = sorted.length;
  }
  const limit = options.limit && options.limit > 0 ? options.limit : sorted.length;
  const items = sorted.slice(start, start + limit);
  const remaining = sorted.length - (start + items.length);
  const last = items[items.length - 1];
  if (remaining > 0 && last) {
    return {
      items,
      resourceVersion: rv,
      continue: encodeContinue({ rv, after: keyOf(last) }),
      remainingItemCount: remaining,
    };
  }
  return { items, resourceVersion: rv };
}

/** One page of `pods` (already filtered), in namespace/name order. */
export const paginate = (
  pods: Pod[],
  options: ListOptions,
  resourceVersion: string,
): Page & { resourceVersion: string } => pageOf(pods, sortKey, options, resourceVersion);
