/**
 * Label selectors (k8s.io/apimachinery/pkg/labels) and pod field selectors
 * (k8s.io/apimachinery/pkg/fields + the pod field set from pkg/registry/core/pod).
 * Parse errors are 400 BadRequest, as list handlers report them.
 */
import { isQualifiedName, isValidLabelValue } from './names';
import type { Pod } from './pod';
import { badRequest } from './status';

type Labels = Record<string, string> | undefined;

/** The label `key` when the map has it as its own member; inherited keys (`constructor`) never count. */
const has = (labels: Labels, key: string): labels is Record<string, string> =>
  !!labels && Object.hasOwn(labels, key);
const labelOf = (labels: Labels, key: string): string | undefined =>
  has(labels, key) ? labels[key] : undefined;
/** A parsed selector: true when the object's labels (or fields) satisfy every requirement. */
export type Matcher<T> = (target: T) => boolean;

const SPECIAL = new Set([',', '=', '!', '(', ')', '<', '>', ' ', '\t', '\n', '\r']);

/** Splits a label selector into identifiers and operator tokens, as the Go lexer does. */
function lex(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) i++;
    else if ((ch === '=' || ch === '!') && text[i + 1] === '=') {
      tokens.push(`${ch}=`);
      i += 2;
    } else if (SPECIAL.has(ch)) tokens.push(text[i++] as string);
    else {
      let j = i;
      while (j < text.length && !SPECIAL.has(text[j] as string)) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const isIdent = (t: string | undefined) =>
  t !== undefined && !SPECIAL.has(t[0] as string) && t !== '==' && t !== '!=';

function checkKey(key: string): void {
  const errs = isQualifiedName(key);
  if (errs.length)
    throw badRequest(
      `unable to parse requirement: key: Invalid value: ${JSON.stringify(key)}: ${errs.join('; ')}`,
    );
}
function checkValue(value: string): void {
  const errs = isValidLabelValue(value);
  if (errs.length)
    throw badRequest(
      `unable to parse requirement: values[0]: Invalid value: ${JSON.stringify(value)}: ${errs.join('; ')}`,
    );
}

/**
 * Parses a label selector (`app=web,tier in (a,b),!legacy,rev>3`); the empty string selects all.
 *
 * @throws StatusError 400 with the parser's message on a syntax or key/value error.
 */
export function parseLabelSelector(text: string): Matcher<Labels> {
  const tokens = lex(text);
  const reqs: Matcher<Labels>[] = [];
  let pos = 0;
  const next = () => tokens[pos++];
  const expect = (what: string) => {
    const t = next();
    if (t !== what)
      throw badRequest(
        `found '${t ?? ''}', expected: ${what === ')' ? "',', or ')'" : `'${what}'`}`,
      );
  };
  while (pos < tokens.length) {
    let tok = next();
    if (tok === '!') {
      const key = next();
      if (!isIdent(key)) throw badRequest(`found '${key ?? ''}', expected: identifier after '!'`);
      checkKey(key as string);
      reqs.push((l) => !has(l, key as string));
    } else {
      if (!isIdent(tok))
        throw badRequest(`found '${tok ?? ''}', expected: !, identifier, or 'end of string'`);
      const key = tok as string;
      checkKey(key);
      const op = tokens[pos];
      if (op === undefined || op === ',') {
        reqs.push((l) => has(l, key));
      } else if (op === '=' || op === '==' || op === '!=') {
        pos++;
        const value = isIdent(tokens[pos]) ? (next() as string) : '';
        checkValue(value);
        reqs.push(
          op === '!=' ? (l) => labelOf(l, key) !== value : (l) => labelOf(l, key) === value,
        );
      } else if (op === 'in' || op === 'notin') {
        pos++;
        expect('(');
        const values: string[] = [];
        for (;;) {
          const v = isIdent(tokens[pos]) ? (next() as string) : '';
          checkValue(v);
          values.push(v);
          const sep = next();
          if (sep === ')') break;
          if (sep !== ',') throw badRequest(`found '${sep ?? ''}', expected: ',', or ')'`);
        }
        reqs.push(
          op === 'in'
            ? (l) => has(l, key) && values.includes(l[key] as string)
            : (l) => !(has(l, key) && values.includes(l[key] as string)),
        );
      } else if (op === '>' || op === '<') {
        pos++;
        const raw = next() ?? '';
        if (!/^-?\d+$/.test(raw))
          throw badRequest(
            "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer",
          );
        const n = Number(raw);
        reqs.push((l) => {
          const v = labelOf(l, key);
          if (v === undefined || !/^-?\d+$/.test(v)) return false;
          return op === '>' ? Number(v) > n : Number(v) < n;
        });
      } else {
        throw badRequest(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    tok = next();
    if (tok !== undefined && tok !== ',')
      throw badRequest(`found '${tok}', expected: ',' or 'end of string'`);
    if (tok === ',' && pos >= tokens.length) throw badRequest("found '', expected: identifier");
  }
  return (labels) => reqs.every((r) => r(labels));
}

/** The pod fields the apiserver lets a field selector name; `spec.host` is an alias. */
export const POD_FIELD_LABELS = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.podIPs',
  'status.nominatedNodeName',
] as const;

/** `ToSelectableFields` for a pod: every selectable field as its string value. */
export function podFieldSet(pod: Pod): Record<string, string> {
  const ip = pod.status.podIPs?.[0]?.ip ?? pod.status.podIP ?? '';
  return {
    'metadata.name': pod.metadata.name ?? '',
    'metadata.namespace': pod.metadata.namespace ?? '',
    'spec.nodeName': pod.spec.nodeName ?? '',
    'spec.restartPolicy': pod.spec.restartPolicy ?? '',
    'spec.schedulerName': pod.spec.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec.hostNetwork ?? false),
    'status.phase': pod.status.phase ?? '',
    'status.podIP': ip,
    'status.podIPs': ip,
    'status.nominatedNodeName': pod.status.nominatedNodeName ?? '',
  };
}

/** Splits on separators not escaped with a backslash; values keep their escapes for unescaping. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) current += ch + (text[++i] as string);
    else if (ch === ',') {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms;
}

const unescapeValue = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * The first operator of a term, where `^(.*?)(!=|==|=)(.*)$` would find it, in one pass (that
 * expression is quadratic in V8 on a term with many `=`). Like it, a line break matches nothing.
 */
function splitOperator(term: string): { at: number; op: '!=' | '==' | '=' } | undefined {
  if (/[\n\r\u2028\u2029]/.test(term)) return undefined;
  const eq = term.indexOf('=');
  if (eq < 0) return undefined;
  if (eq > 0 && term[eq - 1] === '!') return { at: eq - 1, op: '!=' };
  return { at: eq, op: term[eq + 1] === '=' ? '==' : '=' };
}

/**
 * Parses a pod field selector (`status.phase=Running,spec.nodeName!=n1`).
 *
 * @throws StatusError 400 `field label not supported: <label>` for a field pods do not index, or
 *   the parser's message for a malformed term.
 */
export function parseFieldSelector(text: string): Matcher<Pod> {
  return parseFieldTerms(
    text,
    (key) => {
      const label = key === 'spec.host' ? 'spec.nodeName' : key;
      return (POD_FIELD_LABELS as readonly string[]).includes(label) ? label : undefined;
    },
    podFieldSet,
  );
}

/**
 * Parses a field selector over any kind: `labelOf` maps a key to the field it selects (undefined:
 * not supported), `fieldsOf` gives an object's selectable fields as strings.
 */
export function parseFieldTerms<T>(
  text: string,
  labelOf: (key: string) => string | undefined,
  fieldsOf: (object: T) => Record<string, string>,
): Matcher<T> {
  const reqs: Matcher<T>[] = [];
  for (const term of splitTerms(text)) {
    if (term === '') continue;
    const split = splitOperator(term.replace(/\\./g, '__'));
    if (!split) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const key = term.slice(0, split.at);
    const value = unescapeValue(term.slice(split.at + split.op.length));
    const label = labelOf(key);
    if (label === undefined) throw badRequest(`field label not supported: ${key}`);
    const negate = split.op === '!=';
    reqs.push((object) => (fieldsOf(object)[label] === value) !== negate);
  }
  return (object) => reqs.every((r) => r(object));
}
