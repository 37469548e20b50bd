import { DEFAULT_TENANT_PREEMPTION, type TenantSpec } from "../model/schema.js";
import { NAMES } from "../vocabulary/names.js";
import type { ClusterPoolSlice, FlavorQuotaPlan, ResourceFigures, TenantQueuePlan } from "./plan-types.js";

/**
 * Splits `total` into whole parts in proportion to `weights` (largest remainder): the parts sum
 * to exactly `total`, each is the floor or ceiling of its exact share, and ties go to the first.
 */
export function splitInProportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/** A pool's GPUs with the cpu and memory that come with them: a node's cores and GiB per GPU, rounded up. */
function figuresFor(pool: ClusterPoolSlice, gpus: number): ResourceFigures {
  const { gpusPerNode, nodeCpuCores, nodeMemoryGiB } = pool.pool.sku;
  return {
    gpus,
    cpus: Math.ceil((gpus * nodeCpuCores) / gpusPerNode),
    memoryGiB: Math.ceil((gpus * nodeMemoryGiB) / gpusPerNode),
  };
}

/**
 * A tenant's queues in one cluster. The GPU quota is split across the cluster's pools (one
 * ResourceFlavor each) in proportion to their GPUs, so no flavor promises more GPUs than its pool
 * has; the borrowing limit is split the same way and the lending limit in proportion to each
 * flavor's quota (so it never exceeds it, as Kueue requires). cpu and memory get the same share of
 * each pool's nodes: Kueue admits a workload only when every resource it requests is covered.
 */
export function tenantQueuePlan(
  tenant: TenantSpec,
  gpuQuota: number,
  pools: readonly ClusterPoolSlice[],
): TenantQueuePlan {
  const queue = tenant.queue;
  const gpuWeights = pools.map((p) => p.gpus);
  const nominal = splitInProportion(gpuQuota, gpuWeights);
  const borrowing =
    queue?.borrowingLimitGpus === undefined ? undefined : splitInProportion(queue.borrowingLimitGpus, gpuWeights);
  const lending =
    queue?.lendingLimitGpus === undefined ? undefined : splitInProportion(queue.lendingLimitGpus, nominal);
  const flavors: FlavorQuotaPlan[] = pools.map((pool, i) => {
    const own = figuresFor(pool, nominal[i] ?? 0);
    const borrow = borrowing?.[i];
    const lend = lending?.[i];
    return {
      flavor: pool.name,
      gpus: own.gpus,
      cpus: own.cpus,
      memoryGiB: own.memoryGiB,
      borrowingLimit: borrow === undefined ? undefined : figuresFor(pool, borrow),
      // Never more cpu or memory than the flavor's own quota (rounding up could pass it).
      lendingLimit:
        lend === undefined
          ? undefined
          : (({ gpus, cpus, memoryGiB }) => ({
              gpus,
              cpus: Math.min(cpus, own.cpus),
              memoryGiB: Math.min(memoryGiB, own.memoryGiB),
            }))(figuresFor(pool, lend)),
    };
  });
  return {
    clusterQueue: tenant.id,
    localQueue: NAMES.localQueue,
    cohort: NAMES.cohort,
    flavors,
    borrowingLimitGpus: queue?.borrowingLimitGpus,
    lendingLimitGpus: queue?.lendingLimitGpus,
    fairSharingWeight: queue?.fairSharingWeight,
    preemption: queue?.preemption ?? DEFAULT_TENANT_PREEMPTION,
  };
}

/**
 * The GPUs of each pool no tenant holds as quota: the Cohort's own nominal quota, which any
 * tenant may borrow within its limits (Kueue v1beta2 Cohort spec.resourceGroups). Empty when the
 * quotas take every GPU (or more, with overcommit).
 */
export function cohortSharedQuota(
  pools: readonly ClusterPoolSlice[],
  tenants: readonly { readonly queue: TenantQueuePlan }[],
): FlavorQuotaPlan[] {
  return pools.flatMap((pool) => {
    const held = tenants.reduce((sum, t) => sum + (t.queue.flavors.find((f) => f.flavor === pool.name)?.gpus ?? 0), 0);
    const free = pool.gpus - held;
    if (free <= 0) return [];
    return [{ flavor: pool.name, ...figuresFor(pool, free), borrowingLimit: undefined, lendingLimit: undefined }];
  });
}
