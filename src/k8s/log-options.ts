/** pods/log rules: PodLogOptions validation and container defaulting, as the apiserver does. */
import type { Pod } from './pod';
import { badRequest, type FieldError, invalid } from './status';

export interface LogQuery {
  container?: string | undefined;
  tailLines?: number | undefined;
  limitBytes?: number | undefined;
  sinceSeconds?: number | undefined;
  sinceTime?: string | undefined;
  follow?: string | undefined;
  previous?: string | undefined;
  timestamps?: string | undefined;
}

const truthy = (v: string | undefined) => v === 'true' || v === '1';

/** 422 on PodLogOptions for out-of-range values (ValidatePodLogOptions). */
export function validateLogOptions(query: LogQuery): void {
  const errors: FieldError[] = [];
  if (query.tailLines !== undefined && query.tailLines < 0) {
    errors.push({
      field: 'tailLines',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${query.tailLines}: must be greater than or equal to 0`,
    });
  }
  if (query.limitBytes !== undefined && query.limitBytes < 1) {
    errors.push({
      field: 'limitBytes',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${query.limitBytes}: must be greater than 0`,
    });
  }
  if (query.sinceSeconds !== undefined && query.sinceSeconds < 1) {
    errors.push({
      field: 'sinceSeconds',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${query.sinceSeconds}: must be greater than 0`,
    });
  }
  if (query.sinceSeconds !== undefined && query.sinceTime !== undefined) {
    errors.push({
      field: '',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  }
  if (query.sinceTime !== undefined && !isRfc3339(query.sinceTime)) {
    errors.push({
      field: 'sinceTime',
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(query.sinceTime)}: must be an RFC 3339 time`,
    });
  }
  if (errors.length) throw invalid('PodLogOptions', '', errors);
  // JD Cloud keeps the log of the container's current run only.
  if (truthy(query.previous))
    throw badRequest(
      'previous=true is not supported: JD Cloud keeps no log of a previous container instance',
    );
}

const isRfc3339 = (text: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text) &&
  Number.isFinite(Date.parse(text));

/** `follow=true`: the log stream stays open (routes/log-follow.ts). */
export const wantsFollow = (query: LogQuery) => truthy(query.follow);

/** `timestamps=true`: each line starts with its RFC 3339 time (k8s/log-lines.ts). */
export const wantsTimestamps = (query: LogQuery) => truthy(query.timestamps);

/** The container to read: the named one, or the only one; errors worded as the apiserver's. */
export function resolveLogContainer(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata.name ?? '';
  const containers = pod.spec.containers.map((c) => c.name);
  if (requested) {
    if (!containers.includes(requested))
      throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0] as string;
  if (containers.length === 0)
    throw badRequest(`a container name must be specified for pod ${name}`);
  throw badRequest(
    `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
  );
}
