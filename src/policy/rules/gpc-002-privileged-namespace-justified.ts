import { MIN_REASON_LENGTH } from "../../vocabulary/suppression-reason.js";
import { namespaceOf, POD_SECURITY_ENFORCE_LABEL } from "../namespaces.js";
import { COMPLIANT, NOT_APPLICABLE, type ResourceRule } from "../policy-rule.js";
import { cis, kubernetesDocs, pss } from "../sources.js";

/**
 * Only the GPU system namespace may relax Pod Security to `privileged` (the device plugin needs a
 * hostPath, which baseline forbids), and it must say why in an annotation that travels with the
 * object into the cluster (the pack accepts it and lists it in the synth summary). An unlabelled
 * namespace counts as privileged: that is what Pod Security admission enforces when no level is
 * set and no cluster default is configured. Tenant namespaces are GPC-001's concern.
 */
export const privilegedNamespaceJustified: ResourceRule = {
  id: "GPC-002",
  name: "privileged-namespace-justified",
  scope: "resource",
  level: "error",
  justification: "pod-security-privileged",
  description:
    'Only the GPU system namespace may enforce Pod Security "privileged", and only with a justification annotation; every other namespace sets a level.',
  why: "A privileged namespace admits pods that own the node; it must be the one place that needs it, and say why.",
  fix:
    `Set ${POD_SECURITY_ENFORCE_LABEL} to "baseline" or "restricted"; in the GPU system namespace "privileged" is allowed ` +
    `with the annotation justification.gpu-campus.io/pod-security-privileged: "<why, at least ${MIN_REASON_LENGTH} characters>".`,
  sources: [
    pss("baseline", "HostPath Volumes, Privileged Containers (what privileged admits)"),
    kubernetesDocs("Pod Security Admission, labels for namespaces", "concepts/security/pod-security-admission/"),
    cis("5.2.1", "Ensure that the cluster has at least one active policy control mechanism in place"),
  ],
  evaluate(resource, context) {
    const namespace = namespaceOf(resource);
    if (!namespace || context.tenantNamespaces.has(namespace.name)) return NOT_APPLICABLE;
    if (namespace.enforce !== undefined && namespace.enforce !== "privileged") return COMPLIANT;
    const level =
      namespace.enforce === undefined
        ? "sets no Pod Security level (the cluster default, privileged unless configured)"
        : 'enforces Pod Security "privileged"';
    if (!context.gpuSystemNamespaces.has(namespace.name)) {
      const allowed = [...context.gpuSystemNamespaces].join(", ") || "none";
      return {
        status: "non-compliant",
        reasons: [`namespace "${namespace.name}" ${level}; only the GPU system namespace (${allowed}) may`],
        justifiable: false,
      };
    }
    return {
      status: "non-compliant",
      reasons: [`GPU system namespace "${namespace.name}" ${level} without a justification`],
    };
  },
};
