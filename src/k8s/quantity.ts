/**
 * Kubernetes resource quantities (`500m`, `2Gi`, `1e3`) → plain numbers.
 *
 * Follows k8s.io/apimachinery/pkg/api/resource: the same grammar and the same error texts. The
 * result is a float in base units (cores for cpu, bytes for memory); podgate only needs it to
 * pick instance types and render JD Cloud's `cpu` / `memoryMB`, never to round-trip a Quantity.
 */

/** The regular expression the Go parser names in its format error. */
export const QUANTITY_ERR_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_ERR_SUFFIX = "unable to parse quantity's suffix";
const QUANTITY_ERR_NUMERIC = 'unable to parse numeric part of quantity';

/** A quantity that does not parse; `message` is the apiserver's text. */
export class QuantityError extends Error {
  override name = 'QuantityError';
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const SUFFIX_LETTERS = new Set('eEinumkKMGTP');
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * Splits a quantity into its numeric part and suffix as
 * `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` would, in one left-to-right pass: that
 * expression backtracks quadratically on a long run of digits in JavaScript, Go's engine does not.
 */
function splitQuantity(text: string): [string, string] | undefined {
  let i = text[0] === '+' || text[0] === '-' ? 1 : 0;
  const start = i;
  while (i < text.length && (isDigit(text[i]) || text[i] === '.')) i++;
  if (i === start) return undefined;
  const numeric = text.slice(0, i);
  const suffixStart = i;
  while (i < text.length && SUFFIX_LETTERS.has(text[i] as string)) i++;
  if (text[i] === '+' || text[i] === '-') i++;
  while (isDigit(text[i])) i++;
  return i === text.length ? [numeric, text.slice(suffixStart)] : undefined;
}

/** One run of digits, an optional point, one more run (`1.2.3` and `.` fail), checked in one pass. */
function isDecimal(unsigned: string): boolean {
  const point = unsigned.indexOf('.');
  if (point !== unsigned.lastIndexOf('.')) return false;
  return point < 0 ? unsigned.length > 0 : unsigned.length > 1;
}

function suffixMultiplier(suffix: string): number {
  const binary = BINARY[suffix];
  if (binary !== undefined) return binary;
  const exp = DECIMAL[suffix];
  if (exp !== undefined) return 10 ** exp;
  const sci = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (sci?.[1] !== undefined) return 10 ** Number(sci[1]);
  throw new QuantityError(QUANTITY_ERR_SUFFIX);
}

/**
 * Parses a quantity to its value in base units.
 *
 * @example parseQuantity('500m') // 0.5
 * @example parseQuantity('2Gi')  // 2147483648
 * @throws QuantityError with kube's message when the text is not a quantity.
 */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) throw new QuantityError(QUANTITY_ERR_NUMERIC);
    return quantity;
  }
  const parts = splitQuantity(quantity.trim());
  if (!parts) throw new QuantityError(QUANTITY_ERR_FORMAT);
  const [numeric, suffix] = parts;
  const unsigned = numeric.replace(/^[+-]/, '');
  if (!isDecimal(unsigned)) throw new QuantityError(QUANTITY_ERR_NUMERIC);
  return Number(numeric) * suffixMultiplier(suffix);
}

/** CPU in cores: `500m` → 0.5, `2` → 2. */
export const cpuCores = (quantity: string | number): number => parseQuantity(quantity);

/** Memory in bytes: `512Mi` → 536870912, `1G` → 1e9. */
export const memoryBytes = (quantity: string | number): number =>
  Math.ceil(parseQuantity(quantity));

/** Memory in whole MiB, rounded up so a container never gets less than it asked for. */
export const memoryMiB = (quantity: string | number): number =>
  Math.ceil(parseQuantity(quantity) / 2 ** 20);

/** Renders cores without float noise, as JD Cloud's `cpu` string (`0.5`, `2`). */
export const formatCores = (cores: number): string => String(Number(cores.toFixed(3)));
