/**
 * Request paths with escaped parameters: `jdPath\`/v1/regions/${regionId}/pods/${podId}%3Arebuild\``.
 * Each parameter is escaped unreserved-only, like the JS SDK's `uriEscapePath`, so `:` is `%3A`.
 */
import { uriEscape } from './signature';

/**
 * Builds a path from a template whose parameters are escaped. An empty, `.` or `..` parameter is
 * refused: it would silently address another resource (`DELETE …/pods/` or a parent path).
 */
export function jdPath(strings: TemplateStringsArray, ...params: string[]): string {
  let path = strings[0] ?? '';
  params.forEach((param, i) => {
    if (param === '' || param === '.' || param === '..') {
      throw new TypeError(`invalid JD Cloud path parameter ${JSON.stringify(param)}`);
    }
    path += uriEscape(param) + (strings[i + 1] ?? '');
  });
  return path;
}
