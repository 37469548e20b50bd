/**
 * Every node label key and the GPU taint, defined once. Node registration, the kind config, the
 * device plugin's node affinity, Kueue's Topology and ResourceFlavors all import these; nothing
 * retypes a key.
 */

const PREFIX = "gpu-campus.io";

export const LABEL = {
  /** Well-known labels kubelet may set on itself (NodeRestriction allows them). */
  region: "topology.kubernetes.io/region",
  zone: "topology.kubernetes.io/zone",
  hostname: "kubernetes.io/hostname",
  instanceType: "node.kubernetes.io/instance-type",
  campus: `${PREFIX}/campus`,
  building: `${PREFIX}/building`,
  scalableUnit: `${PREFIX}/scalable-unit`,
  rack: `${PREFIX}/rack`,
  nvlinkDomain: `${PREFIX}/nvlink-domain`,
  pool: `${PREFIX}/pool`,
  cluster: `${PREFIX}/cluster`,
  /** Tells nodes apart from the kind SKU's simulated ones. */
  gpuMode: `${PREFIX}/gpu-mode`,
  /**
   * Selects a named config in the device plugin's ConfigMap.
   * Source: NVIDIA/k8s-device-plugin README, "Updating Per-Node Configuration With a Node Label".
   */
  devicePluginConfig: "nvidia.com/device-plugin.config",
} as const;

export type LabelKey = (typeof LABEL)[keyof typeof LABEL];

/**
 * Labels GPU feature discovery sets on GPU nodes; the campus never sets them itself (they are
 * discovered). The clique is the NVLink domain: `<ClusterUUID>.<CliqueID>`
 * (NVIDIA/k8s-device-plugin docs/gpu-feature-discovery).
 */
export const GFD_LABEL = {
  product: "nvidia.com/gpu.product",
  clique: "nvidia.com/gpu.clique",
  /** `true` on nodes whose config shares GPUs with MPS and has no MIG device (internal/lm/nvml.go). */
  mpsCapable: "nvidia.com/mps.capable",
} as const;

/**
 * Label prefixes GFD owns (docs/gpu-feature-discovery/README.md, "Generated Labels"): the plan
 * never sets a node label under them, so planned and discovered labels never fight.
 */
export const GFD_LABEL_PREFIXES: readonly string[] = [
  "nvidia.com/gpu.",
  "nvidia.com/cuda.",
  "nvidia.com/mig.",
  "nvidia.com/mps.",
  "nvidia.com/gfd.",
];

/**
 * Kueue Topology levels, outermost first; `kubernetes.io/hostname` may only be the last level
 * (kubernetes-sigs/kueue site/content/en/docs/concepts/topology.md).
 */
export const TOPOLOGY_LEVELS: readonly LabelKey[] = [
  LABEL.building,
  LABEL.scalableUnit,
  LABEL.nvlinkDomain,
  LABEL.hostname,
];

/**
 * The labels that pick a pool's nodes (device plugin affinity, ResourceFlavor nodeLabels). Pool ids
 * are unique only within a building, and a campus-grouped cluster spans buildings: the building is
 * part of the selector, or two buildings' `sim` pools would select each other's nodes.
 */
export const POOL_SELECTOR_KEYS: readonly LabelKey[] = [LABEL.cluster, LABEL.building, LABEL.pool];

/** The extended resource the device plugin advertises. Source: NVIDIA/k8s-device-plugin README. */
export const GPU_RESOURCE = "nvidia.com/gpu";

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** GPU nodes repel pods that do not ask for GPUs; tolerate with operator Exists. */
export const GPU_TAINT: Taint = { key: GPU_RESOURCE, value: "present", effect: "NoSchedule" };

/** `key=value:Effect`, the form kubelet's --register-with-taints takes. */
export function formatTaint(taint: Taint): string {
  return `${taint.key}=${taint.value}:${taint.effect}`;
}
