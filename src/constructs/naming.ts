import { GPU_TAINT, LABEL, POOL_SELECTOR_KEYS } from "../plan/labels.js";
import { poolLabels } from "../plan/node-identity.js";
import type { CampusPlan, ClusterPlan, PoolPlan } from "../plan/plan-types.js";

/**
 * Every object name, label, selector, toleration and annotation key the constructs use, in one
 * place: node-facing keys come from src/plan/labels.ts, the rest are defined here. Nothing in
 * src/constructs types a name or key twice.
 */

export const MANAGED_BY = "gpu-campus";

/** Kubernetes' recommended labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
export const APP_LABEL = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/** The labels every object gpu-campus manages carries. */
export function managedLabels(component: string): Record<string, string> {
  return { [APP_LABEL.managedBy]: MANAGED_BY, [APP_LABEL.partOf]: MANAGED_BY, [APP_LABEL.component]: component };
}

/** Object names that are the same in every cluster. */
export const NAMES = {
  devicePluginNamespace: "nvidia-device-plugin",
  devicePluginServiceAccount: "nvidia-device-plugin",
  devicePluginConfigMap: "nvidia-device-plugin-configs",
  devicePluginApp: "nvidia-device-plugin",
  /** The RuntimeClass GPU pods name (`runtimeClassName: nvidia`), handled by the NVIDIA Container Toolkit. */
  runtimeClass: "nvidia",
  /** kubelet's built-in priority class for node agents (kubernetes.io: guaranteed scheduling for critical add-on pods). */
  nodeCriticalPriorityClass: "system-node-critical",
  /** The Kueue Topology of a cluster. */
  topology: "gpu-campus",
  tenantQuota: "tenant-quota",
  tenantLimits: "tenant-defaults",
  denyIngress: "default-deny-ingress",
  denyEgress: "default-deny-egress",
  allowSameNamespace: "allow-same-namespace",
  allowDnsEgress: "allow-dns-egress",
  datasetVolume: "dataset",
  checkpointVolume: "checkpoints",
} as const;

/** PriorityClasses for tenant workloads, highest first: serving keeps its SLOs, batch never preempts. */
export const PRIORITY_CLASS = {
  inference: "gpu-inference",
  training: "gpu-training",
  batch: "gpu-batch",
} as const;

/**
 * Annotation keys that record why an object needs an exception to a security rule (the policy
 * pack reads them): `justification.gpu-campus.io/<topic>: <reason>`.
 */
export const JUSTIFICATION_PREFIX = "justification.gpu-campus.io";
export function justificationAnnotation(topic: string): string {
  return `${JUSTIFICATION_PREFIX}/${topic}`;
}

/** A pool's name in object names: unique on the campus (`<building>-<pool>`). */
export function poolObjectName(pool: PoolPlan): string {
  return `${pool.buildingId}-${pool.id}`;
}

export function devicePluginDaemonSetName(pool: PoolPlan): string {
  return `${NAMES.devicePluginApp}-${poolObjectName(pool)}`;
}

/**
 * The labels that select a pool's nodes: the POOL_SELECTOR_KEYS of the same poolLabels() the node
 * registration artifact is written from, so a selector can never name a label nodes lack.
 */
export function poolSelector(plan: CampusPlan, cluster: ClusterPlan, pool: PoolPlan): Record<string, string> {
  const labels = poolLabels(plan, cluster, pool);
  const selector: Record<string, string> = {};
  for (const key of POOL_SELECTOR_KEYS) {
    const value = labels[key];
    if (value === undefined) throw new Error(`pool ${poolObjectName(pool)}: selector key ${key} is not a node label`);
    selector[key] = value;
  }
  return selector;
}

/**
 * Errors for pools whose selectors are equal, so that they would pick each other's nodes (two
 * device plugins fighting over one kubelet socket, two ResourceFlavors counting the same GPUs).
 */
export function sameSelectorErrors(
  pools: readonly { readonly name: string; readonly selector: Readonly<Record<string, string>> }[],
): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const { name, selector } of pools) {
    const key = JSON.stringify(Object.entries(selector).sort());
    const other = seen.get(key);
    if (other) errors.push(`pools ${other} and ${name} select the same nodes (${key}): add a distinguishing label`);
    else seen.set(key, name);
  }
  return errors;
}

export interface Toleration {
  readonly key: string;
  readonly operator: "Exists";
  readonly effect: string;
}

/** Tolerates the GPU taint whatever its value, with operator Exists: docs/design.md (principle 2). */
export const GPU_TOLERATION: Toleration = { key: GPU_TAINT.key, operator: "Exists", effect: GPU_TAINT.effect };

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/**
 * Pod Security Admission labels, pinned to the cluster's minor version so an upgrade does not
 * silently tighten or loosen the rules (kubernetes.io/docs/concepts/security/pod-security-admission).
 */
export function podSecurityLabels(
  kubernetesVersion: string,
  enforce: PodSecurityLevel,
  auditAndWarn: PodSecurityLevel = enforce,
): Record<string, string> {
  const version = `v${kubernetesVersion}`;
  const prefix = "pod-security.kubernetes.io";
  return {
    [`${prefix}/enforce`]: enforce,
    [`${prefix}/enforce-version`]: version,
    [`${prefix}/audit`]: auditAndWarn,
    [`${prefix}/audit-version`]: version,
    [`${prefix}/warn`]: auditAndWarn,
    [`${prefix}/warn-version`]: version,
  };
}

/** The label the API server sets on every namespace (Kubernetes ≥ 1.22). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** A compute rail's NetworkAttachmentDefinition (`rail-0` …), what pods list in `k8s.v1.cni.cncf.io/networks`. */
export function railNetworkName(rail: number): string {
  return `rail-${rail}`;
}

/**
 * The host interface of a compute rail. Provisioning names the NIC of rail N `railN` (systemd
 * .link files), the same contract as the node labels: the CNI config never guesses PCI names.
 */
export function railInterfaceName(rail: number): string {
  return `rail${rail}`;
}

/** The Multus annotation pods use to attach to rails (k8snetworkplumbingwg/multus-cni docs/quickstart.md). */
export const MULTUS_NETWORKS_ANNOTATION = "k8s.v1.cni.cncf.io/networks";
/** The annotation that ties a NetworkAttachmentDefinition to a device plugin resource (SR-IOV). */
export const MULTUS_RESOURCE_ANNOTATION = "k8s.v1.cni.cncf.io/resourceName";

/** The campus's own API domain (`gpu-campus.io`), the prefix of its label keys. */
const CAMPUS_DOMAIN = LABEL.campus.slice(0, LABEL.campus.indexOf("/"));

/** Records a rail network's transport (infiniband or roce) on its NetworkAttachmentDefinition. */
export const RAIL_TRANSPORT_ANNOTATION = `${CAMPUS_DOMAIN}/rail-transport`;

/** The hash of a pod's config on its template: a changed config rolls the pods. */
export const CONFIG_HASH_ANNOTATION = `${CAMPUS_DOMAIN}/config-sha256`;

/** `gpu-campus.io/rail0`: the SR-IOV device plugin resource of a rail's virtual functions. */
export function railResourceName(rail: number): string {
  return `${CAMPUS_DOMAIN}/${railInterfaceName(rail)}`;
}

/**
 * StorageClasses are cluster scoped: one set per building, named as the environment says, with
 * the building id appended only when the cluster spans several buildings (kind) so names stay
 * the same across every single-building production cluster.
 */
export function storageClassName(base: string, buildingId: string, suffixWithBuilding: boolean): string {
  return suffixWithBuilding ? `${base}-${buildingId}` : base;
}

/** ConfigMap keys for the inventory documents. */
export function fabricDocumentKey(buildingId: string): string {
  return `fabric-${buildingId}.json`;
}
export function storageDocumentKey(buildingId: string): string {
  return `storage-${buildingId}.json`;
}
