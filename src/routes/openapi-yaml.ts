/**
 * A dependency-free JSON → YAML emitter for the OpenAPI document (block style, two-space indent).
 * The `yaml` package would cost the Worker bundle far more than these lines; we only ever emit
 * JSON values, so scalars are either plain (when unambiguous) or JSON strings, which are valid
 * YAML double-quoted scalars.
 */

/** Strings safe to write unquoted: no indicator first, no `: ` or ` #`, never a number or bool. */
const PLAIN = /^[A-Za-z_/$][\w .$/{}()+=,;'-]*$/;
/** Words YAML 1.1 readers would turn into booleans or null. */
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;
/** Characters JSON leaves raw but YAML does not allow (or treats as line breaks) in a scalar. */
const NON_PRINTABLE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

function quoted(text: string): string {
  return JSON.stringify(text).replace(
    NON_PRINTABLE,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function str(text: string): string {
  return PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(' ') ? text : quoted(text);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isBlock(value: Json): value is Json[] | { [key: string]: Json } {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function scalar(value: Json): string {
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return JSON.stringify(value);
}

function block(value: Json[] | { [key: string]: Json }, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value
      .map((item) =>
        isBlock(item)
          ? `${pad}- ${block(item, indent + 2).slice(indent + 2)}`
          : `${pad}- ${scalar(item)}`,
      )
      .join('\n');
  }
  return Object.entries(value)
    .map(([key, item]) =>
      isBlock(item)
        ? `${pad}${str(key)}:\n${block(item, indent + 2)}`
        : `${pad}${str(key)}: ${scalar(item)}`,
    )
    .join('\n');
}

/**
 * Writes a JSON value as YAML. `undefined` members are dropped, as `JSON.stringify` does.
 *
 * @example
 * toYaml({ openapi: '3.1.0', paths: {} }) // 'openapi: "3.1.0"\npaths: {}\n'
 */
export function toYaml(value: unknown): string {
  const json = JSON.parse(JSON.stringify(value)) as Json;
  return `${isBlock(json) ? block(json, 0) : scalar(json)}\n`;
}
