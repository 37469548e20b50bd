import { isRecord, type PathSegment } from "./values.js";

/**
 * Values a review must never print. A PR comment is readable by everyone with access to the
 * repository, and workflow logs often by more; Terraform itself only masks what the provider
 * marks sensitive, so the review tools also mask by name.
 */

export const MASK = "(sensitive)";

/** Resource types whose whole data maps are secret. */
const SECRET_TYPES = new Set(["kubernetes_secret_v1", "kubernetes_secret"]);
const DATA_MAPS = new Set(["data", "binary_data", "data_wo", "string_data", "stringData", "binaryData"]);
const CREDENTIAL_NAME = /token|password|passwd|key/i;

export type SensitivePredicate = (path: readonly PathSegment[]) => boolean;

/**
 * Which attribute paths of a resource must be masked: everything under a Secret's data maps
 * (`kubernetes_secret_v1`, or a `kubernetes_manifest` of kind Secret), and any entry named like a
 * credential (`*token*`, `*password*`, `*key*`) under a data map of any resource.
 * `body` is the resource's configuration (either side of the change) to learn a manifest's kind.
 */
export function sensitivePaths(type: string, ...bodies: unknown[]): SensitivePredicate {
  const manifestSecret =
    type === "kubernetes_manifest" &&
    bodies.some((b) => isRecord(b) && isRecord(b.manifest) && b.manifest.kind === "Secret");
  return (path) => {
    const names = path.filter((s): s is string => typeof s === "string");
    // The values, not the maps: a review still says which key of a Secret changed.
    if (SECRET_TYPES.has(type) && DATA_MAPS.has(names[0] ?? "") && names.length > 1) return true;
    if (manifestSecret && names[0] === "manifest" && DATA_MAPS.has(names[1] ?? "") && names.length > 2) return true;
    for (let i = 0; i + 1 < names.length; i++) {
      if (DATA_MAPS.has(names[i] ?? "") && CREDENTIAL_NAME.test(names[i + 1] ?? "")) return true;
    }
    return false;
  };
}

const SETTING_SECRET = /token|password|secret|client_key|private_key|access_key|client_certificate/i;

/** Stack settings (provider blocks, backend): mask credentials wherever they appear. */
export const sensitiveSetting: SensitivePredicate = (path) =>
  path.some((s) => typeof s === "string" && SETTING_SECRET.test(s));
