/**
 * Label and field selectors over pods. Parsed in the Worker first (`checkSelectors`), so a bad
 * selector is a 400 before any store or JD call; the store re-parses the strings it receives.
 */
import type { Pod } from '../k8s/pod';
import { parseFieldSelector, parseLabelSelector } from '../k8s/selectors';

interface Selectors {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

/** Throws the apiserver's 400 for a malformed selector or an unsupported field label. */
export function checkSelectors(selectors: Selectors): void {
  if (selectors.labelSelector) parseLabelSelector(selectors.labelSelector);
  if (selectors.fieldSelector) parseFieldSelector(selectors.fieldSelector);
}

/** A predicate matching pods that satisfy both selectors (absent selectors match everything). */
export function selectorMatcher(selectors: Selectors): (pod: Pod) => boolean {
  const labels = selectors.labelSelector ? parseLabelSelector(selectors.labelSelector) : undefined;
  const fields = selectors.fieldSelector ? parseFieldSelector(selectors.fieldSelector) : undefined;
  return (pod) => (!labels || labels(pod.metadata.labels ?? {})) && (!fields || fields(pod));
}
