/**
 * Kubernetes resource quantities (`4`, `1k`, `500m`, `2Gi`, `1e3`) as numbers.
 * Source: Kubernetes API reference, Quantity (k8s.io/apimachinery/pkg/api/resource).
 */
const SUFFIX: Readonly<Record<string, number>> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value, or undefined when it is not a quantity (an expression, a typo). */
export function parseQuantity(value: string | number | undefined): number | undefined {
  if (typeof value === "number") return value;
  if (value === undefined) return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, number, suffix = ""] = match;
  return Number(number) * (SUFFIX[suffix] ?? Number.NaN);
}
