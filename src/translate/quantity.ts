/**
 * Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1e3`) read exactly, and the strings
 * JD Cloud's ResourceRequestsSpec takes (`cpu: "500m"`, `memoryMB: "1024Mi"`).
 *
 * Parsing is done in integers (BigInt) because `0.1 * 1000` is not 100 in floating point, and
 * Kubernetes rounds a fractional millicore or byte up, never down.
 */

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const MIB = 1n << 20n;

/** An exact non-negative rational `num / den`. */
interface Exact {
  num: bigint;
  den: bigint;
}

function parse(quantity: string | number): Exact | undefined {
  const text = typeof quantity === 'number' ? String(quantity) : quantity.trim();
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign = '', digits = '', suffix = ''] = m;
  const [whole = '', frac = ''] = digits.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let den = 10n ** BigInt(frac.length);
  if (sign === '-' && num !== 0n) return undefined;
  if (suffix in BINARY) {
    num <<= BigInt(BINARY[suffix] ?? 0);
  } else {
    const exp =
      suffix.startsWith('e') || suffix.startsWith('E')
        ? Number(suffix.slice(1))
        : (DECIMAL[suffix] ?? 0);
    if (Math.abs(exp) > 30) return undefined;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num, den };
}

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** CPU in millicores, rounded up (`"0.1"` → 100, `"1"` → 1000); undefined if not a quantity. */
export function cpuMillis(quantity: string | number): number | undefined {
  const q = parse(quantity);
  return q && Number(ceilDiv(q.num * 1000n, q.den));
}

/** Memory in bytes, rounded up (`"1Gi"` → 1073741824); undefined if not a quantity. */
export function memoryBytes(quantity: string | number): number | undefined {
  const q = parse(quantity);
  return q && Number(ceilDiv(q.num, q.den));
}

/** JD's `cpu` string: whole cores as `"2"`, anything finer as millicores (`"500m"`). */
export const jdCpu = (millis: number): string =>
  millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;

/** JD's `memoryMB` string, in whole MiB rounded up (`"1024Mi"`). */
export const jdMemory = (bytes: number): string => `${ceilDiv(BigInt(bytes), MIB)}Mi`;

/** Whole MiB in a quantity, rounded up (`"1Gi"` → 1024); JD sizes (emptyDir sizeMB) are MiB. */
export function mebibytes(quantity: string | number): number | undefined {
  const bytes = memoryBytes(quantity);
  return bytes === undefined ? undefined : Number(ceilDiv(BigInt(bytes), MIB));
}
