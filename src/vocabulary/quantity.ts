/**
 * Kubernetes quantities written in the canonical form the API server returns, so that a plan
 * never sees `1000m` against `1` or `4096Mi` against `4Gi` (kubernetes_manifest normalisation,
 * hashicorp/terraform-provider-kubernetes PR #2941). Rules from k8s.io/apimachinery
 * pkg/api/resource/quantity.go (CanonicalizeBytes): decimal values drop a `m` suffix when they are
 * whole; binary values take the largest power-of-1024 suffix that divides them exactly, and values
 * below 1024 or not divisible by 1024 are written as plain numbers.
 */

const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;

/** CPU in millicores: `500` → `500m`, `2000` → `2`. */
export function cpuQuantity(millicores: number): string {
  if (!Number.isInteger(millicores) || millicores < 0) {
    throw new RangeError(`cpu ${millicores} millicores must be a whole number ≥ 0`);
  }
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

const DECIMAL_SUFFIXES = ["", "k", "M", "G", "T", "P", "E"] as const;

/**
 * A whole count in canonical decimal-SI form, as a Go resource.Quantity writes it back (Kueue's
 * webhooks round-trip quotas through one): `576` → `576`, `2000` → `2k`, `0` → `0`.
 */
export function wholeQuantity(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${count} must be a whole number ≥ 0`);
  if (count === 0) return "0";
  let value = count;
  let exponent = 0;
  while (exponent < DECIMAL_SUFFIXES.length - 1 && value % 1000 === 0) {
    value /= 1000;
    exponent++;
  }
  return `${value}${DECIMAL_SUFFIXES[exponent]}`;
}

/** A byte count in canonical binary-SI form: `4294967296n` → `4Gi`, `1536n` → `1536`. */
export function bytesQuantity(bytes: bigint): string {
  if (bytes < 0n) throw new RangeError(`${bytes} bytes must be ≥ 0`);
  if (bytes < 1024n) return String(bytes);
  let value = bytes;
  let exponent = 0;
  while (exponent < BINARY_SUFFIXES.length - 1 && value % 1024n === 0n) {
    value /= 1024n;
    exponent++;
  }
  return exponent === 0 ? String(bytes) : `${value}${BINARY_SUFFIXES[exponent]}`;
}

const MIB = 1024n ** 2n;
const GIB = 1024n ** 3n;

/** Memory in MiB: `512` → `512Mi`, `4096` → `4Gi`. */
export function mebibytesQuantity(mebibytes: number): string {
  if (!Number.isInteger(mebibytes) || mebibytes < 0) {
    throw new RangeError(`memory ${mebibytes} MiB must be a whole number ≥ 0`);
  }
  return bytesQuantity(BigInt(mebibytes) * MIB);
}

/** `tebibytes × 1024^k` (k = 1: GiB, k = 2: MiB), with floating-point noise removed (0.3 × 1024 is 307.20000000000005). */
function scaled(tebibytes: number, k: number): number {
  if (!Number.isFinite(tebibytes) || tebibytes < 0) throw new RangeError(`storage ${tebibytes} TiB must be ≥ 0`);
  return Number((tebibytes * 1024 ** k).toPrecision(12));
}

/**
 * A storage limit in TiB, rounded up to a whole GiB: `2048` → `2Pi`, `0.02` → `21Gi`. Quotas round
 * up and volumes round down, so volumes that add up to a quota always fit in it.
 */
export function tebibytesCeilQuantity(tebibytes: number): string {
  return bytesQuantity(BigInt(Math.ceil(scaled(tebibytes, 1))) * GIB);
}

/** A volume size in TiB, rounded down to a whole MiB (less than 1 MiB lost): `0.01` → `10485Mi`. */
export function tebibytesFloorQuantity(tebibytes: number): string {
  const mebibytes = Math.floor(scaled(tebibytes, 2));
  if (mebibytes < 1) throw new RangeError(`storage ${tebibytes} TiB is less than 1 MiB`);
  return bytesQuantity(BigInt(mebibytes) * MIB);
}

/*
 * Reading quantities back (`4`, `1k`, `500m`, `2Gi`, `1e3`) as numbers, for the policy pack and the
 * diff. Source: Kubernetes API reference, Quantity (k8s.io/apimachinery/pkg/api/resource).
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
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(value.trim());
  if (!match) return undefined;
  const [, number, suffix = ""] = match;
  return Number(number) * (SUFFIX[suffix] ?? Number.NaN);
}
