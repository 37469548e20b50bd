import { GPU_RESOURCE, GPU_TAINT, LABEL, type Taint } from "./labels.js";
import type { CampusPlan, ClusterPlan, PoolPlan, ScalableUnitPlan } from "./plan-types.js";

/**
 * Per-node identity: deterministic names, labels, taints and capacity for every node a cluster
 * will register. This is the node registration contract (what provisioning passes to kubelet as
 * --node-labels and --register-with-taints); kind's config is generated from the same records.
 * Records are yielded one at a time: a campus has ~100,000 of them.
 */
export interface NodeRecord {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly capacity: Readonly<Record<string, string>>;
}

const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** `<building>-<pool>-r0007`: racks are numbered inside their pool so other pools never renumber them. */
export function rackId(pool: PoolPlan, rackNumber: number): string {
  return `${pool.buildingId}-${pool.id}-r${pad(rackNumber, 4)}`;
}

/** `<building>-<pool>-r0007-n03`: the Kubernetes node name and hostname. */
export function nodeName(pool: PoolPlan, rackNumber: number, nodeInRack: number): string {
  return `${rackId(pool, rackNumber)}-n${pad(nodeInRack, 2)}`;
}

/**
 * The NVLink domain a node's GPUs belong to: the rack for NVL72 (72 GPUs on one NVLink
 * switch system), the node itself for HGX (8 GPUs on one baseboard).
 */
export function nvlinkDomainId(pool: PoolPlan, rackNumber: number, nodeInRack: number): string {
  const { sku } = pool;
  const domainsPerRack = sku.gpusPerRack / sku.nvlinkDomainGpus;
  if (domainsPerRack <= 1) return rackId(pool, rackNumber);
  const nodesPerDomain = sku.nvlinkDomainGpus / sku.gpusPerNode;
  if (nodesPerDomain <= 1) return nodeName(pool, rackNumber, nodeInRack);
  return `${rackId(pool, rackNumber)}-d${Math.ceil(nodeInRack / nodesPerDomain)}`;
}

/** The labels every node of a pool in a cluster shares: what selectors may match on. */
export function poolLabels(plan: CampusPlan, cluster: ClusterPlan, pool: PoolPlan): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.region]: plan.region,
    [LABEL.zone]: pool.buildingId,
    [LABEL.instanceType]: pool.sku.id,
    [LABEL.campus]: plan.campusId,
    [LABEL.building]: pool.buildingId,
    [LABEL.pool]: pool.id,
    [LABEL.cluster]: cluster.id,
    [LABEL.gpuMode]: pool.sku.simulated ? "simulated" : "physical",
  };
  if (!pool.sku.simulated) labels[LABEL.devicePluginConfig] = pool.devicePluginConfigName;
  return labels;
}

export function nodeCapacity(plan: CampusPlan, pool: PoolPlan): Record<string, string> {
  return {
    cpu: String(pool.sku.nodeCpuCores),
    memory: `${pool.sku.nodeMemoryGiB}Gi`,
    pods: String(plan.maxPodsPerNode),
    [GPU_RESOURCE]: String(pool.sku.gpusPerNode),
  };
}

function* unitNodes(
  base: Record<string, string>,
  capacity: Record<string, string>,
  pool: PoolPlan,
  unit: ScalableUnitPlan,
): Generator<NodeRecord> {
  for (let rack = unit.firstRack; rack < unit.firstRack + unit.racks; rack++) {
    const rackLabel = rackId(pool, rack);
    for (let n = 1; n <= pool.sku.nodesPerRack; n++) {
      yield {
        name: nodeName(pool, rack, n),
        labels: {
          ...base,
          [LABEL.scalableUnit]: unit.id,
          [LABEL.rack]: rackLabel,
          [LABEL.nvlinkDomain]: nvlinkDomainId(pool, rack, n),
        },
        taints: [GPU_TAINT],
        capacity,
      };
    }
  }
}

/** Every node of a cluster, in campus order (building, pool, scalable unit, rack, tray). */
export function* clusterNodes(plan: CampusPlan, cluster: ClusterPlan): Generator<NodeRecord> {
  for (const building of cluster.buildings) {
    for (const slice of building.pools) {
      const base = poolLabels(plan, cluster, slice.pool);
      const capacity = nodeCapacity(plan, slice.pool);
      for (const unit of slice.scalableUnits) yield* unitNodes(base, capacity, slice.pool, unit);
    }
  }
}
