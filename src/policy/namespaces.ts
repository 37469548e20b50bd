import { kindOf, metadataOf } from "../terraform-json/kubernetes-object.js";
import type { SynthesizedResource } from "./policy-rule.js";

/**
 * Pod Security admission labels. Source: kubernetes.io/docs/concepts/security/pod-security-admission/
 * ("Pod Security Admission labels for namespaces"). With no `enforce` label the cluster default
 * applies, which is `privileged` unless the API server's AdmissionConfiguration says otherwise.
 */
export const POD_SECURITY_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

/** A namespace: its name and the Pod Security level it enforces (undefined when unlabelled). */
export interface NamespaceView {
  readonly name: string;
  readonly enforce: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export function namespaceOf(resource: SynthesizedResource): NamespaceView | undefined {
  if (kindOf(resource) !== "Namespace") return undefined;
  const meta = metadataOf(resource);
  if (meta.name === undefined) return undefined;
  return {
    name: meta.name,
    enforce: meta.labels[POD_SECURITY_ENFORCE_LABEL],
    labels: meta.labels,
    annotations: meta.annotations,
  };
}

/** The tenant namespaces a stack creates, with their resources (where stack-level findings are reported). */
export function tenantNamespaces(
  resources: readonly SynthesizedResource[],
  tenants: ReadonlySet<string>,
): { readonly resource: SynthesizedResource; readonly name: string }[] {
  return resources.flatMap((resource) => {
    const namespace = namespaceOf(resource);
    return namespace && tenants.has(namespace.name) ? [{ resource, name: namespace.name }] : [];
  });
}

/** The objects of a kind that live in a namespace. */
export function objectsIn(
  resources: readonly SynthesizedResource[],
  kind: string,
  namespace: string,
): SynthesizedResource[] {
  return resources.filter((r) => kindOf(r) === kind && metadataOf(r).namespace === namespace);
}
