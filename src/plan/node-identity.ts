import { GPU_TAINT, LABEL, POOL_SELECTOR_KEYS, type Taint } from "../vocabulary/labels.js";
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

/** Where a pool's nodes are: what their shared labels say besides the pool itself. */
export interface PoolPlacement {
  readonly region: string;
  readonly campusId: string;
  readonly clusterId: string;
}

/** A pool's name in object names: unique on the campus (`<building>-<pool>`). */
export function poolObjectName(pool: Pick<PoolPlan, "buildingId" | "id">): string {
  return `${pool.buildingId}-${pool.id}`;
}

/** The labels every node of a pool in a cluster shares: what selectors may match on. */
export function poolLabels(placement: PoolPlacement, pool: PoolPlan): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.region]: placement.region,
    [LABEL.zone]: pool.buildingId,
    [LABEL.instanceType]: pool.sku.id,
    [LABEL.campus]: placement.campusId,
    [LABEL.building]: pool.buildingId,
    [LABEL.pool]: pool.id,
    [LABEL.cluster]: placement.clusterId,
    [LABEL.gpuMode]: pool.sku.simulated ? "simulated" : "physical",
  };
  if (!pool.sku.simulated) labels[LABEL.devicePluginConfig] = pool.devicePluginConfigName;
  return labels;
}

/**
 * The labels that select a pool's nodes: the POOL_SELECTOR_KEYS of the same poolLabels() the node
 * registration artifact is written from, so a selector can never name a label nodes lack.
 */
export function poolSelector(labels: Readonly<Record<string, string>>, pool: PoolPlan): Record<string, string> {
  const selector: Record<string, string> = {};
  for (const key of POOL_SELECTOR_KEYS) {
    const value = labels[key];
    if (value === undefined) throw new Error(`pool ${poolObjectName(pool)}: selector key ${key} is not a node label`);
    selector[key] = value;
  }
  return selector;
}

/**
 * What a node registers (and the twin simulates): its GPUs as the device plugin advertises them,
 * physical × sharing replicas under the pool's resource name (plan.gpuResource).
 */
export function nodeCapacity(plan: CampusPlan, pool: PoolPlan): Record<string, string> {
  return {
    cpu: String(pool.sku.nodeCpuCores),
    memory: `${pool.sku.nodeMemoryGiB}Gi`,
    pods: String(plan.maxPodsPerNode),
    [pool.gpuResource]: String(pool.advertisedGpusPerNode),
  };
}

function* unitNodes(
  base: Readonly<Record<string, string>>,
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
      const base = slice.labels;
      const capacity = nodeCapacity(plan, slice.pool);
      for (const unit of slice.scalableUnits) yield* unitNodes(base, capacity, slice.pool, unit);
    }
  }
}
