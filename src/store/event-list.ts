/** Pure list mechanics for Events: selectors, name order, `limit`/`continue` pages. */
import { type CoreEvent, eventMatcher } from '../k8s/event';
import { decodeContinue, encodeContinue, type ListOptions } from './list';

export interface EventPage {
  items: CoreEvent[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const keyOf = (event: CoreEvent) => `${event.metadata.namespace}/${event.metadata.name}`;

/** One page of the events matching `options`, in namespace/name order. */
export function eventPage(
  events: readonly CoreEvent[],
  options: ListOptions,
  resourceVersion: string,
): EventPage {
  const matches = eventMatcher(options);
  const sorted = events
    .filter(matches)
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let rv = resourceVersion;
  let start = 0;
  if (options.continue) {
    const token = decodeContinue(options.continue);
    rv = token.rv;
    start = sorted.findIndex((event) => keyOf(event) > token.after);
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
