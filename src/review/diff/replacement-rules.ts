import { parseQuantity } from "../../vocabulary/quantity.js";
import type { ReplacementReason } from "../model.js";

/**
 * Attributes whose change cannot be applied in place, per resource type of the hashicorp/kubernetes
 * provider (2.38). Paths are schema paths (`spec.selector`): a change at or below one forces
 * replacement. Sources:
 * - `provider`: the field is `ForceNew` in the provider schema (terraform-provider-kubernetes,
 *   kubernetes/schema_metadata.go, resource_kubernetes_daemon_set_v1.go, ..._deployment_v1.go,
 *   ..._storage_class_v1.go, schema_persistent_volume_claim.go, ..._priority_class_v1.go,
 *   ..._service_v1.go, ..._role_binding_v1.go); `kubernetes_manifest` plans a replacement when
 *   apiVersion, kind, name or namespace change (manifest/provider/plan.go).
 * - `api`: the API server rejects the update (kubernetes pkg/apis/storage/validation
 *   ValidateStorageClassUpdate: parameters, provisioner, reclaimPolicy and volumeBindingMode are
 *   immutable; apps/validation: a StatefulSet's spec beyond replicas, template, updateStrategy,
 *   minReadySeconds and PVC retention is immutable). The provider may plan these in place; the
 *   apply then fails, so the only way through is a replacement.
 */

interface Rule {
  readonly path: string;
  readonly source: ReplacementReason["source"];
}

const provider = (path: string): Rule => ({ path, source: "provider" });
const api = (path: string): Rule => ({ path, source: "api" });

/** metadata.name / namespace / generate_name are ForceNew on every resource with a metadata block. */
const METADATA: readonly Rule[] = [
  provider("metadata.name"),
  provider("metadata.namespace"),
  provider("metadata.generate_name"),
];

const WORKLOAD_SELECTOR = [provider("spec.selector")];

const STORAGE_CLASS = [
  provider("storage_provisioner"),
  provider("parameters"),
  api("reclaim_policy"),
  provider("volume_binding_mode"),
  provider("mount_options"),
  provider("allowed_topologies"),
];

const PVC = [
  provider("spec.access_modes"),
  provider("spec.storage_class_name"),
  provider("spec.selector"),
  provider("spec.volume_name"),
  provider("spec.resources.limits"),
];

const STATEFUL_SET = [
  provider("spec.selector"),
  api("spec.service_name"),
  api("spec.volume_claim_template"),
  api("spec.pod_management_policy"),
];

const BY_TYPE: Readonly<Record<string, readonly Rule[]>> = {
  kubernetes_daemon_set_v1: WORKLOAD_SELECTOR,
  kubernetes_daemonset: WORKLOAD_SELECTOR,
  kubernetes_deployment_v1: WORKLOAD_SELECTOR,
  kubernetes_deployment: WORKLOAD_SELECTOR,
  kubernetes_stateful_set_v1: STATEFUL_SET,
  kubernetes_stateful_set: STATEFUL_SET,
  kubernetes_job_v1: [provider("spec.template"), provider("spec.selector")],
  kubernetes_storage_class_v1: STORAGE_CLASS,
  kubernetes_storage_class: STORAGE_CLASS,
  kubernetes_persistent_volume_claim_v1: PVC,
  kubernetes_persistent_volume_claim: PVC,
  kubernetes_persistent_volume_v1: [api("spec.persistent_volume_source")],
  kubernetes_persistent_volume: [api("spec.persistent_volume_source")],
  kubernetes_service_v1: [provider("spec.cluster_ip"), provider("spec.cluster_ips")],
  kubernetes_service: [provider("spec.cluster_ip")],
  kubernetes_priority_class_v1: [provider("value")],
  kubernetes_priority_class: [provider("value")],
  kubernetes_role_binding_v1: [provider("role_ref")],
  kubernetes_cluster_role_binding_v1: [provider("role_ref")],
  kubernetes_secret_v1: [provider("type")],
  kubernetes_manifest: [
    provider("manifest.apiVersion"),
    provider("manifest.kind"),
    provider("manifest.metadata.name"),
    provider("manifest.metadata.namespace"),
  ],
};

function rulesFor(type: string): readonly Rule[] {
  if (!type.startsWith("kubernetes_")) return [];
  const specific = BY_TYPE[type] ?? [];
  return type === "kubernetes_manifest" ? specific : [...METADATA, ...specific];
}

/** Why changing `schemaPath` of a `type` forces a replacement, or undefined when it updates in place. */
export function replacementReason(type: string, schemaPath: string): ReplacementReason | undefined {
  for (const rule of rulesFor(type)) {
    if (schemaPath === rule.path || schemaPath.startsWith(`${rule.path}.`)) {
      return {
        source: rule.source,
        text:
          rule.source === "provider"
            ? `${rule.path} cannot change in place (provider ForceNew)`
            : `${rule.path} is immutable in the Kubernetes API`,
      };
    }
  }
  return undefined;
}

/** Notes on changes that are in place but that the API server refuses or handles specially. */
export function changeNote(type: string, schemaPath: string, before: unknown, after: unknown): string | undefined {
  const isPvc = type === "kubernetes_persistent_volume_claim_v1" || type === "kubernetes_persistent_volume_claim";
  if (isPvc && schemaPath === "spec.resources.requests.storage") {
    const from = parseQuantity(before);
    const to = parseQuantity(after);
    if (from !== undefined && to !== undefined && to < from) {
      return "a PersistentVolumeClaim cannot shrink: the API server rejects a smaller request";
    }
  }
  return undefined;
}
