import type { Kubectl } from "../../../src/engine/kubectl.js";
import { type Dict, isDict, kindOf, manifestOf } from "../../../src/terraform-json/kubernetes-object.js";

/**
 * What OpenTofu's state says it manages, next to what the API server holds: each managed object
 * of a `tofu show -json` state, found by kind, namespace and name among the objects the API
 * lists, so a suite can read back every object it applied with one kubectl call.
 */
export interface ManagedObject {
  readonly address: string;
  readonly kind: string;
  /** `kubectl get` resource, e.g. `persistentvolumeclaim` or `topology.kueue.x-k8s.io`. */
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** A `kubernetes_manifest`'s spec as applied (undefined for the provider's typed resources). */
  readonly manifestSpec: Dict | undefined;
}

export type LiveObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

type StateJson = {
  values?: { root_module?: { resources?: { address: string; mode: string; type: string; values: Dict }[] } };
};

export function stateResources(state: unknown): { address: string; mode: string; type: string; values: Dict }[] {
  return (state as StateJson).values?.root_module?.resources ?? [];
}

/** The Kubernetes objects a state manages (patch-style resources without a kind are left out). */
export function managedObjects(state: unknown): ManagedObject[] {
  return stateResources(state).flatMap((r) => {
    if (r.mode !== "managed") return [];
    const resource = { type: r.type, config: r.values };
    const kind = kindOf(resource);
    if (!kind) return [];
    const manifest = manifestOf(resource);
    const metadata = (manifest ? manifest.metadata : firstBlock(r.values.metadata)) as Dict | undefined;
    const name = metadata?.name;
    if (typeof name !== "string") throw new Error(`${r.address}: no metadata.name in the state`);
    const namespace =
      typeof metadata?.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
    const apiVersion = manifest && typeof manifest.apiVersion === "string" ? manifest.apiVersion : "";
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : undefined;
    return [
      {
        address: r.address,
        kind,
        resource: group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase(),
        namespace,
        name,
        labels: stringRecord(metadata?.labels),
        annotations: stringRecord(metadata?.annotations),
        manifestSpec: manifest && isDict(manifest.spec) ? manifest.spec : undefined,
      },
    ];
  });
}

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ""}/${name}`;

/** Every managed object's live counterpart (undefined where the API has none), in one kubectl call. */
export function liveObjects(kubectl: Kubectl, objects: readonly ManagedObject[]): Map<string, LiveObject | undefined> {
  const resources = [...new Set(objects.map((o) => o.resource))].sort();
  const listed =
    resources.length === 0 ? [] : kubectl.json<{ items: LiveObject[] }>(["get", resources.join(","), "-A"]).items;
  const byKey = new Map(listed.map((item) => [key(item.kind, item.metadata.namespace, item.metadata.name), item]));
  return new Map(objects.map((o) => [o.address, byKey.get(key(o.kind, o.namespace, o.name))]));
}

/** True when every field of `expected` is in `actual` with the same value (the API may add defaults). */
export function containsFields(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => containsFields(actual[i], e))
    );
  }
  if (isDict(expected)) {
    return isDict(actual) && Object.entries(expected).every(([k, v]) => containsFields(actual[k], v));
  }
  // An int-or-string field (a Kueue quantity such as nominalQuota "4") is stored as the number it
  // holds: the same value, as the API server's JSON writes it.
  if (typeof actual === "number" && typeof expected === "string") return String(actual) === expected;
  return actual === expected;
}

function firstBlock(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isDict(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}
