/**
 * ListOptions query parameters checked as the apiserver checks them (`ValidateListOptions` and its
 * parameter decoder): a boolean that is not one of Go's spellings is a 400 naming the parameter,
 * a `resourceVersionMatch` it does not know or cannot use is a 422
 * `ListOptions.meta.k8s.io "" is invalid: …`. Pure.
 */
import { fieldForbidden, fieldNotSupported } from './field-errors';
import { badRequest, type FieldError, invalid } from './status';

/** Go's strconv.ParseBool spellings. */
const BOOLS = new Set([
  '1',
  't',
  'T',
  'true',
  'TRUE',
  'True',
  '0',
  'f',
  'F',
  'false',
  'FALSE',
  'False',
]);
const MATCHES = ['Exact', 'NotOlderThan'];

export interface ListQuery {
  watch?: string | undefined;
  allowWatchBookmarks?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
}

/**
 * @throws StatusError 400 for a boolean parameter Go would not parse, 422 for a
 *   resourceVersionMatch the apiserver refuses.
 */
export function validateListOptions(query: ListQuery): void {
  for (const key of ['watch', 'allowWatchBookmarks'] as const) {
    const value = query[key];
    if (value !== undefined && value !== '' && !BOOLS.has(value)) {
      throw badRequest(
        `${key}: Invalid value: ${JSON.stringify(value)}: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`,
      );
    }
  }
  const match = query.resourceVersionMatch;
  if (!match) return;
  const errors: FieldError[] = [];
  const watching =
    query.watch !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(query.watch);
  if (watching) {
    errors.push(
      fieldForbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch'),
    );
  } else if (!MATCHES.includes(match)) {
    errors.push(fieldNotSupported('resourceVersionMatch', match, MATCHES));
  } else if (!query.resourceVersion) {
    errors.push(
      fieldForbidden(
        'resourceVersionMatch',
        'resourceVersionMatch is forbidden unless resourceVersion is provided',
      ),
    );
  }
  if (errors.length) throw invalid('ListOptions.meta.k8s.io', '', errors);
}
