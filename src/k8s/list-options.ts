/**
 * ListOptions query parameters read as the apiserver reads them: booleans converted like
 * apimachinery's `Convert_Slice_string_To_bool`, and the watch-list rules of
 * `ValidateListOptions` (sendInitialEvents, resourceVersionMatch, allowWatchBookmarks).
 */
import { fieldForbidden, fieldNotSupported } from './field-errors';
import { type FieldError, invalid } from './status';

/**
 * A boolean query parameter: absent, `0` or `false` (any case) is false, anything else —
 * `true`, `True`, `1`, `t`, even an empty value — is true (apimachinery's conversion; the
 * Python client sends `watch=True`).
 */
export function queryBool(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value !== '0' && value.toLowerCase() !== 'false';
}

/** A boolean that stays unset when the parameter is absent (`*bool` in ListOptions). */
export const queryOptionalBool = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : queryBool(value);

export interface WatchListQuery {
  resourceVersion?: string | undefined;
  resourceVersionMatch?: string | undefined;
  sendInitialEvents?: string | undefined;
  allowWatchBookmarks?: string | undefined;
}

const NOT_OLDER_THAN = 'NotOlderThan';
const LIST_MATCHES = ['Exact', NOT_OLDER_THAN];

const refuse = (errors: FieldError[]) => {
  if (errors.length) throw invalid('ListOptions.meta.k8s.io', '', errors);
};

/** 422 for a watch's ListOptions the apiserver refuses (validateWatchOptions). */
export function validateWatchOptions(query: WatchListQuery): void {
  const errors: FieldError[] = [];
  const match = query.resourceVersionMatch;
  const sendInitialEvents = queryOptionalBool(query.sendInitialEvents);
  if (sendInitialEvents !== undefined && match !== NOT_OLDER_THAN) {
    errors.push(
      fieldForbidden(
        'resourceVersionMatch',
        `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`,
      ),
    );
  }
  if (match) {
    if (sendInitialEvents === undefined) {
      errors.push(
        fieldForbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (match !== NOT_OLDER_THAN) {
      errors.push(fieldNotSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]));
    }
    if (!queryBool(query.allowWatchBookmarks)) {
      errors.push(
        fieldForbidden(
          'allowWatchBookmarks',
          'allowWatchBookmarks must be set to true when sendInitialEvents is provided',
        ),
      );
    }
  }
  refuse(errors);
}

/** 422 for a list's ListOptions the apiserver refuses (ValidateListOptions without watch). */
export function validateListOptions(query: WatchListQuery): void {
  const errors: FieldError[] = [];
  const match = query.resourceVersionMatch;
  if (match) {
    if (!query.resourceVersion) {
      errors.push(
        fieldForbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (!LIST_MATCHES.includes(match)) {
      errors.push(fieldNotSupported('resourceVersionMatch', match, LIST_MATCHES));
    }
  }
  if (query.sendInitialEvents !== undefined) {
    errors.push(fieldForbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  refuse(errors);
}
