/** The Status a synchronous call throws as a StatusError (fails when it throws none). */
import { type Status, StatusError } from '../../src/k8s/status';

export function statusOf(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}
