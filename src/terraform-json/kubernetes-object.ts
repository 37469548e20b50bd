/**
 * Reading Kubernetes objects out of synthesized Terraform JSON, whichever way they are written: the
 * provider's typed resources (snake_case blocks, `kubernetes_daemon_set_v1`) or
 * `kubernetes_manifest` (the object as Kubernetes spells it, camelCase). The one reader of
 * cdk.tf.json shapes: the policy pack (at synth time) and the review tools (reading files) both use
 * it, so "which kind is this", "is it data-holding" and "is it protected" have one answer.
 */

/** One resource body of cdk.tf.json (or of a plan's before/after): its type and its arguments. */
export interface ResourceJson {
  /** Terraform resource type, e.g. `kubernetes_daemon_set_v1`. */
  readonly type: string;
  /** The resource's arguments, snake_case (a `kubernetes_manifest` keeps its object under `manifest`). */
  readonly config: Readonly<Record<string, unknown>>;
}

export type Dict = Readonly<Record<string, unknown>>;

export function isDict(value: unknown): value is Dict {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested block: Terraform JSON writes a single block as an object or as a list of one. */
export function block(value: unknown): Dict | undefined {
  if (Array.isArray(value)) return isDict(value[0]) ? value[0] : undefined;
  return isDict(value) ? value : undefined;
}

/** A repeated block or a list: always an array of objects. */
export function blocks(value: unknown): Dict[] {
  if (Array.isArray(value)) return value.filter(isDict);
  return isDict(value) ? [value] : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A literal boolean (Terraform JSON also accepts "true"/"false"); undefined when unset or an expression. */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A string map (labels, annotations, quantities), keeping only literal values. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const map = block(value);
  if (!map) return out;
  for (const [key, v] of Object.entries(map)) {
    if (typeof v === "string" || typeof v === "number") out[key] = String(v);
  }
  return out;
}

/** True when a string is a Terraform expression (`${...}`) rather than a literal value. */
export function isExpression(value: string): boolean {
  return value.includes("${");
}

export const MANIFEST_TYPE = "kubernetes_manifest";

/** `kubernetes_daemon_set_v1` → `daemon_set`: the provider's resource without prefix and API version. */
export function baseType(type: string): string {
  return type.replace(/^kubernetes_/, "").replace(/_v\d+(beta\d+|alpha\d+)?$/, "");
}

/** The object a `kubernetes_manifest` carries; undefined for the provider's typed resources. */
export function manifestOf(resource: Pick<ResourceJson, "type" | "config">): Dict | undefined {
  return resource.type === MANIFEST_TYPE ? block(resource.config.manifest) : undefined;
}

const KIND_BY_BASE_TYPE: Readonly<Record<string, string>> = {
  namespace: "Namespace",
  pod: "Pod",
  deployment: "Deployment",
  daemon_set: "DaemonSet",
  daemonset: "DaemonSet",
  stateful_set: "StatefulSet",
  replication_controller: "ReplicationController",
  job: "Job",
  cron_job: "CronJob",
  persistent_volume_claim: "PersistentVolumeClaim",
  persistent_volume: "PersistentVolume",
  storage_class: "StorageClass",
  network_policy: "NetworkPolicy",
  resource_quota: "ResourceQuota",
  limit_range: "LimitRange",
  service_account: "ServiceAccount",
  default_service_account: "ServiceAccount",
  config_map: "ConfigMap",
  secret: "Secret",
  service: "Service",
  role: "Role",
  role_binding: "RoleBinding",
  cluster_role: "ClusterRole",
  cluster_role_binding: "ClusterRoleBinding",
  priority_class: "PriorityClass",
  runtime_class: "RuntimeClass",
  ingress: "Ingress",
  ingress_class: "IngressClass",
  horizontal_pod_autoscaler: "HorizontalPodAutoscaler",
  pod_disruption_budget: "PodDisruptionBudget",
  endpoints: "Endpoints",
  endpoint_slice: "EndpointSlice",
  csi_driver: "CSIDriver",
  api_service: "APIService",
  mutating_webhook_configuration: "MutatingWebhookConfiguration",
  validating_webhook_configuration: "ValidatingWebhookConfiguration",
  certificate_signing_request: "CertificateSigningRequest",
};

/** The Kubernetes kind a resource creates; undefined for patches (labels, annotations, env, taints). */
export function kindOf(resource: ResourceJson): string | undefined {
  const manifest = manifestOf(resource);
  if (manifest) return str(manifest.kind);
  return KIND_BY_BASE_TYPE[baseType(resource.type)];
}

/**
 * Kinds that live outside namespaces. Kubernetes' own, plus the add-ons this campus uses:
 * Kueue (Topology, ResourceFlavor, ClusterQueue, Cohort, AdmissionCheck, WorkloadPriorityClass)
 * and DRA (DeviceClass). A kind not listed is treated as namespaced, so a missing namespace on
 * a custom resource is reported rather than silently landing in `default`.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "VolumeAttributesClass",
  "CSIDriver",
  "CSINode",
  "ClusterRole",
  "ClusterRoleBinding",
  "PriorityClass",
  "RuntimeClass",
  "IngressClass",
  "CustomResourceDefinition",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "CertificateSigningRequest",
  "VolumeSnapshotClass",
  "DeviceClass",
  "Topology",
  "ResourceFlavor",
  "ClusterQueue",
  "Cohort",
  "AdmissionCheck",
  "WorkloadPriorityClass",
]);

export function isNamespaced(resource: ResourceJson): boolean {
  const kind = kindOf(resource);
  return kind !== undefined && !CLUSTER_SCOPED_KINDS.has(kind);
}

export interface ObjectMeta {
  readonly name: string | undefined;
  /** As written; undefined when the object does not say (the provider then uses `default`). */
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export function metadataOf(resource: ResourceJson): ObjectMeta {
  const manifest = manifestOf(resource);
  const meta = block(manifest ? manifest.metadata : resource.config.metadata) ?? {};
  const namespace = str(meta.namespace);
  return {
    name: str(meta.name),
    namespace: namespace === "" ? undefined : namespace,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
  };
}

/** The object's `spec`, in either shape. */
export function specOf(resource: ResourceJson): Dict | undefined {
  const manifest = manifestOf(resource);
  return block(manifest ? manifest.spec : resource.config.spec);
}

/** Reads a field by its Kubernetes (camelCase) name or the provider's snake_case name. */
export function field(object: Dict | undefined, camel: string, snake: string): unknown {
  if (!object) return undefined;
  return object[camel] ?? object[snake];
}

/** `kind/namespace/name` for messages. */
export function describeObject(resource: ResourceJson): string {
  const meta = metadataOf(resource);
  const kind = kindOf(resource) ?? resource.type;
  return meta.namespace ? `${kind} ${meta.namespace}/${meta.name ?? "?"}` : `${kind} ${meta.name ?? "?"}`;
}

/** `kubernetes_storage_class_v1` → `StorageClass` for types the table does not list (display only). */
export function displayKind(type: string): string {
  return baseType(type)
    .split("_")
    .map((word) => (word === "daemonset" ? "DaemonSet" : word.charAt(0).toUpperCase() + word.slice(1)))
    .join("");
}

/** The resource's `lifecycle { prevent_destroy = true }` (cdk.tf.json writes lifecycle as an object). */
export function preventsDestroy(resource: ResourceJson): boolean {
  return bool(block(resource.config.lifecycle)?.prevent_destroy) === true;
}

const VOLUME_KINDS: ReadonlySet<string> = new Set(["PersistentVolumeClaim", "PersistentVolume"]);

/** A volume claim or volume: what holds datasets and checkpoints. */
export function isVolume(resource: ResourceJson): boolean {
  const kind = kindOf(resource);
  return kind !== undefined && VOLUME_KINDS.has(kind);
}

/** A resource whose destruction loses data: a volume claim or volume, or one marked prevent_destroy. */
export function isDataHolding(resource: ResourceJson): boolean {
  return isVolume(resource) || preventsDestroy(resource);
}
