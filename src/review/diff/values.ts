import { displayKind, kindOf } from "../../terraform-json/kubernetes-object.js";

/**
 * Small helpers for JSON values as cdktf and Terraform write them: noise removal, equality,
 * attribute paths and the Kubernetes object a resource manages.
 */

export type PathSegment = string | number | { readonly json: true };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Drops cdktf's metadata: every `"//"` key (construct path, unique id, stack metadata), which
 * changes whenever a construct moves in the tree without changing what Terraform does.
 */
export function stripCdktfMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripCdktfMetadata);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key !== "//") out[key] = stripCdktfMetadata(child);
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.selector.match_labels["app.kubernetes.io/name"]`, `container[0].image`, `data["x.json"] › gpus`. */
export function formatPath(path: readonly PathSegment[]): string {
  const parts: string[] = [];
  let current = "";
  for (const segment of path) {
    if (typeof segment === "object") {
      parts.push(current);
      current = "";
    } else if (typeof segment === "number") current += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) current += current === "" ? segment : `.${segment}`;
    else current += `[${JSON.stringify(segment)}]`;
  }
  parts.push(current);
  return parts.filter((p) => p !== "").join(" › ");
}

/**
 * The path as a provider schema names it: list indices of nested blocks and JSON-in-string steps
 * removed, so `spec[0].selector[0].match_labels` (plan JSON) and `spec.selector.match_labels`
 * (cdk.tf.json, where a single block is an object) both read `spec.selector.match_labels`.
 */
export function schemaPath(path: readonly PathSegment[]): string {
  const names: string[] = [];
  for (const segment of path) {
    if (typeof segment === "object") break;
    if (typeof segment === "string") names.push(segment);
  }
  return names.join(".");
}

/** The one block of a single-block attribute, whether written as an object or a one-item list. */
export function singleBlock(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return isRecord(value[0]) ? value[0] : undefined;
  return isRecord(value) ? value : undefined;
}

/** Turns a `${...}` reference into the literal it points at, when it can; identity otherwise. */
export type ReferenceResolver = (value: string) => string;

const METADATA_REFERENCE = /^\$\{([A-Za-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata(?:\[0\]|\.0)\.name\}$/;

/**
 * Resolves `${<type>.<name>.metadata[0].name}` (how cdktf writes one construct's name into
 * another, e.g. a claim's namespace) against a stack's resources, so a reviewer reads
 * `research/dataset` rather than a reference.
 */
export function metadataNameResolver(resources: unknown): ReferenceResolver {
  return (value) => {
    const match = METADATA_REFERENCE.exec(value);
    if (!match || !isRecord(resources)) return value;
    const byName = resources[match[1] ?? ""];
    const body = isRecord(byName) ? byName[match[2] ?? ""] : undefined;
    const name = isRecord(body) ? singleBlock(body.metadata)?.name : undefined;
    return typeof name === "string" ? name : value;
  };
}

/** `PersistentVolumeClaim research/dataset` for a kubernetes resource config or state, else undefined. */
export function kubernetesObject(
  type: string,
  body: unknown,
  resolve: ReferenceResolver = (value) => value,
): string | undefined {
  if (!type.startsWith("kubernetes_") || !isRecord(body)) return undefined;
  if (type === "kubernetes_manifest") {
    const manifest = isRecord(body.manifest) ? body.manifest : undefined;
    const metadata = singleBlock(manifest?.metadata);
    if (!manifest || !metadata) return undefined;
    return describeObject(String(manifest.kind ?? "object"), metadata, resolve);
  }
  const metadata = singleBlock(body.metadata);
  const kind = kindOf({ type, config: body }) ?? displayKind(type);
  return metadata ? describeObject(kind, metadata, resolve) : undefined;
}

function describeObject(
  kind: string,
  metadata: Record<string, unknown>,
  resolve: ReferenceResolver,
): string | undefined {
  const name = typeof metadata.name === "string" ? resolve(metadata.name) : undefined;
  if (!name) return undefined;
  const namespace = typeof metadata.namespace === "string" ? resolve(metadata.namespace) : undefined;
  // A namespace written as a reference (`${kubernetes_namespace_v1.x.metadata[0].name}`) is not
  // known until apply; the name alone still identifies the object for a reviewer.
  const shownNamespace = namespace && !namespace.includes("${") ? `${namespace}/` : "";
  return `${kind} ${shownNamespace}${name}`;
}
