import { GPU_TAINT, LABEL } from "./labels.js";

/**
 * Every object name, label, toleration and annotation key the campus uses, in one place: node-facing
 * keys come from labels.ts beside this file, the rest are defined here. Nothing else types a name or
 * key twice; this file imports nothing but labels.ts (the ground floor of the import direction).
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
  /** The system namespace every cluster stack owns: the inventory lives there. */
  systemNamespace: "gpu-campus-system",
  /** The cluster's copy of its capacity (a ConfigMap in the system namespace). */
  inventoryConfigMap: "campus-inventory",
  devicePluginNamespace: "nvidia-device-plugin",
  devicePluginServiceAccount: "nvidia-device-plugin",
  devicePluginConfigMap: "nvidia-device-plugin-configs",
  devicePluginApp: "nvidia-device-plugin",
  /** The MPS control daemon of MPS pools (same namespace as the plugin, as upstream's chart). */
  mpsControlDaemonApp: "nvidia-mps-control-daemon",
  gpuFeatureDiscoveryApp: "gpu-feature-discovery",
  gpuFeatureDiscoveryServiceAccount: "gpu-feature-discovery",
  /** The NVIDIA DRA driver's namespace (NVIDIA's docs use `nvidia-dra-driver-gpu`). */
  draDriverNamespace: "nvidia-dra-driver-gpu",
  draControllerApp: "compute-domain-controller",
  draKubeletPluginApp: "compute-domain-kubelet-plugin",
  /** The per-ComputeDomain IMEX daemons' ServiceAccount: a fixed name the controller's templates use. */
  computeDomainDaemonServiceAccount: "compute-domain-daemon-service-account",
  /** GPU telemetry (DCGM exporter). */
  telemetryNamespace: "gpu-telemetry",
  dcgmExporterApp: "dcgm-exporter",
  gpuAlertRules: "gpu-health",
  /** The RDMA (SR-IOV network) device plugin. */
  rdmaDevicePluginNamespace: "rdma-device-plugin",
  rdmaDevicePluginApp: "sriov-network-device-plugin",
  rdmaDevicePluginConfigMap: "sriovdp-config",
  /** The ValidatingAdmissionPolicy (and binding) that holds RDMA tenants to IPC_LOCK and rail resources. */
  rdmaPodPolicy: "tenant-rdma-pods",
  /** The RuntimeClass GPU pods name (`runtimeClassName: nvidia`), handled by the NVIDIA Container Toolkit. */
  runtimeClass: "nvidia",
  /** kubelet's built-in priority class for node agents (kubernetes.io: guaranteed scheduling for critical add-on pods). */
  nodeCriticalPriorityClass: "system-node-critical",
  /** The Kueue Topology of a cluster. */
  topology: "gpu-campus",
  /** The Kueue Cohort every tenant ClusterQueue of a cluster joins: idle GPUs are borrowed there. */
  cohort: "gpu-campus",
  /** The LocalQueue in each tenant namespace: what jobs name in `kueue.x-k8s.io/queue-name`. */
  localQueue: "gpu",
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
 * What tenants put on their Jobs for Kueue (kubernetes-sigs/kueue site/content/en/docs/concepts/
 * topology.md and workload_priority_class.md, v0.17): the queue and priority labels and the
 * topology annotations of a pod template.
 */
export const KUEUE_KEY = {
  queueName: "kueue.x-k8s.io/queue-name",
  priorityClass: "kueue.x-k8s.io/priority-class",
  podsetRequiredTopology: "kueue.x-k8s.io/podset-required-topology",
  podsetPreferredTopology: "kueue.x-k8s.io/podset-preferred-topology",
} as const;

/**
 * Annotation keys that record why an object needs an exception to a security rule (the policy
 * pack reads them): `justification.gpu-campus.io/<topic>: <reason>`.
 */
export const JUSTIFICATION_PREFIX = "justification.gpu-campus.io";
export function justificationAnnotation(topic: string): string {
  return `${JUSTIFICATION_PREFIX}/${topic}`;
}

export interface Toleration {
  readonly key: string;
  readonly operator: "Exists";
  readonly effect: string;
}

/** Tolerates the GPU taint whatever its value (tolerate with operator Exists: the key and effect are what every GPU taint shares). */
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

/** Namespace label that opts a tenant namespace in to the RDMA pod policy (its binding selects it). */
export const RDMA_TENANT_LABEL = `${LABEL.campus.slice(0, LABEL.campus.indexOf("/"))}/rdma`;

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
