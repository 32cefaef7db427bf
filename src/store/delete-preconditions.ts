/** DeleteOptions.preconditions (uid, resourceVersion), checked against the stored row. */
import type { DeleteOptions } from '../k8s/pod';
import { conflictWithMessage } from '../k8s/status';
import type { PodRow } from './rows';

/** DeleteOptions.preconditions, with the apiserver's messages. */
export function checkDeletePreconditions(row: PodRow, options: DeleteOptions): void {
  const pre = options.preconditions;
  if (pre?.uid && pre.uid !== row.uid) {
    throw conflictWithMessage(
      row.name,
      `the UID in the precondition (${pre.uid}) does not match the UID in record (${row.uid}). The object might have been deleted and then recreated`,
    );
  }
  const rv = row.pod.metadata.resourceVersion;
  if (pre?.resourceVersion && pre.resourceVersion !== rv) {
    throw conflictWithMessage(
      row.name,
      `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${rv}). The object might have been modified`,
    );
  }
}
