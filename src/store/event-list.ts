/** Pure list mechanics for Events: selectors, name order, `limit`/`continue` pages. */
import { type CoreEvent, eventMatcher } from '../k8s/event';
import { type ListOptions, pageOf } from './list';

export interface EventPage {
  items: CoreEvent[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const keyOf = (event: CoreEvent) => `${event.metadata.namespace}/${event.metadata.name}`;

/** One page of the events matching `options`, in namespace/name order. */
export const eventPage = (
  events: readonly CoreEvent[],
  options: ListOptions,
  resourceVersion: string,
): EventPage => pageOf(events.filter(eventMatcher(options)), keyOf, options, resourceVersion);
