import { GPU_SKUS, type GpuSku } from "../catalog/gpu-skus.js";
import { clusterNodeCap } from "../catalog/kubernetes-limits.js";
import { radixAtSpeed, SWITCH_MODELS, type SwitchModel } from "../catalog/switches.js";
import { poolRacks } from "../model/pool-size.js";
import type { BuildingSpec, Environment, PoolSpec, TenantSpec } from "../model/schema.js";
import { storageClassName } from "../vocabulary/names.js";
import { sizeFatTree } from "./fat-tree.js";
import { poolLabels, poolObjectName, poolSelector } from "./node-identity.js";
import type {
  BuildingPlan,
  BuildingStoragePlan,
  CampusPlan,
  CampusTotals,
  ClusterBuildingSlice,
  ClusterPlan,
  ClusterPoolSlice,
  FabricPlan,
  PoolPlan,
  ScalableUnitPlan,
  TenantPlan,
} from "./plan-types.js";
import { partitionUnits } from "./shards.js";
import { cohortSharedQuota, tenantQueuePlan } from "./tenant-queues.js";

/**
 * The campus plan: a pure function of a valid environment and the catalog. Everything the
 * constructs, artifacts and reports need is derived here, once.
 */

export class PlanError extends Error {}

function skuOf(pool: PoolSpec): GpuSku {
  const sku = GPU_SKUS.get(pool.sku);
  if (!sku) throw new PlanError(`unknown SKU "${pool.sku}" (the semantic checks should have caught this)`);
  return sku;
}

function racksOf(pool: PoolSpec, sku: GpuSku): number {
  const size = poolRacks(pool, sku);
  if (!size.ok) throw new PlanError(`pool ${pool.id}: ${size.field} ${size.value} is not a whole number of racks`);
  return size.racks;
}

/** Nodes per cluster the planner packs to: the configured cap, lowered to keep pods within limits. */
export function effectiveNodeCap(env: Environment): number {
  return clusterNodeCap(env.clusters.maxNodes, env.clusters.maxPodsPerNode);
}

function planPool(building: BuildingSpec, pool: PoolSpec): PoolPlan {
  const sku = skuOf(pool);
  const racks = racksOf(pool, sku);
  const scalableUnits: ScalableUnitPlan[] = [];
  for (let firstRack = 1, index = 1; firstRack <= racks; firstRack += sku.racksPerScalableUnit, index++) {
    const unitRacks = Math.min(sku.racksPerScalableUnit, racks - firstRack + 1);
    scalableUnits.push({
      id: `${building.id}-${pool.id}-su${String(index).padStart(2, "0")}`,
      buildingId: building.id,
      poolId: pool.id,
      index,
      firstRack,
      racks: unitRacks,
      nodes: unitRacks * sku.nodesPerRack,
      gpus: unitRacks * sku.gpusPerRack,
    });
  }
  const gpus = racks * sku.gpusPerRack;
  return {
    id: pool.id,
    buildingId: building.id,
    sku,
    racks,
    nodes: racks * sku.nodesPerRack,
    gpus,
    nvlinkDomains: gpus / sku.nvlinkDomainGpus,
    scalableUnits,
    devicePlugin: pool.devicePlugin,
    devicePluginConfigName: `${building.id}-${pool.id}`,
    itPowerKW: racks * sku.rackPowerKW,
  };
}

/** What a building asks of its compute fabric: hosts per plane at a link speed, and the switch's radix there. */
export interface FabricDemand {
  readonly switchModel: SwitchModel;
  readonly linkGbps: number;
  readonly radix: number;
  readonly planes: number;
  readonly hostsPerPlane: number;
}

/** The demand of a building's pools on the chosen switch; undefined when the switch is not in the catalog. */
export function fabricDemand(env: Environment, pools: readonly PoolPlan[]): FabricDemand | undefined {
  const switchModel = SWITCH_MODELS.get(env.fabric.compute.switch);
  if (!switchModel || pools.length === 0) return undefined;
  const linkGbps = Math.max(...pools.map((p) => p.sku.computeNicGbps));
  const ports = pools.reduce((sum, p) => sum + p.nodes * p.sku.computeNicsPerNode, 0);
  const planes = env.fabric.compute.planes === "rail" ? Math.max(...pools.map((p) => p.sku.computeNicsPerNode)) : 1;
  return {
    switchModel,
    linkGbps,
    radix: radixAtSpeed(switchModel, linkGbps),
    planes,
    hostsPerPlane: Math.ceil(ports / planes),
  };
}

/** Sizes one building's compute fabric; undefined when the switch cannot build it. */
function planFabric(env: Environment, pools: readonly PoolPlan[]): FabricPlan | undefined {
  const compute = env.fabric.compute;
  const demand = fabricDemand(env, pools);
  if (!demand) return undefined;
  const plane = sizeFatTree({
    hosts: demand.hostsPerPlane,
    radix: demand.radix,
    oversubscription: compute.oversubscription,
    maxTiers: compute.maxTiers,
  });
  if (!plane) return undefined;
  return {
    ...demand,
    transport: compute.transport,
    oversubscription: compute.oversubscription,
    plane,
    totalSwitches: plane.switches * demand.planes,
    totalLinks: plane.links * demand.planes,
  };
}

function planBuilding(env: Environment, building: BuildingSpec): BuildingPlan {
  const pools = building.pools.map((pool) => planPool(building, pool));
  const sum = (f: (p: PoolPlan) => number) => pools.reduce((total, p) => total + f(p), 0);
  const gpus = sum((p) => p.gpus);
  const itPowerMW = sum((p) => p.itPowerKW) / 1000;
  return {
    id: building.id,
    phase: building.phase,
    itPowerBudgetMW: building.itPowerMW,
    rackPositions: building.rackPositions,
    pools,
    racks: sum((p) => p.racks),
    nodes: sum((p) => p.nodes),
    gpus,
    scalableUnits: sum((p) => p.scalableUnits.length),
    nvlinkDomains: sum((p) => p.nvlinkDomains),
    itPowerMW,
    facilityPowerMW: itPowerMW * env.campus.pue,
    fabric: planFabric(env, pools),
    storage: {
      capacityTiB: gpus * env.storage.sharedFilesystem.capacityTiBPerGpu,
      readGBps: gpus * env.storage.sharedFilesystem.readGBpsPerGpu,
    },
  };
}

interface UnitRef {
  readonly building: BuildingPlan;
  readonly pool: PoolPlan;
  readonly unit: ScalableUnitPlan;
}

interface UnitSlice {
  readonly pool: PoolPlan;
  readonly scalableUnits: readonly ScalableUnitPlan[];
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
}

/** The cluster's part of each building and pool, in campus order. */
function sliceUnits(units: readonly UnitRef[]): { building: BuildingPlan; pools: UnitSlice[] }[] {
  const slices: { building: BuildingPlan; pools: UnitSlice[] }[] = [];
  for (const ref of units) {
    let buildingSlice = slices.find((s) => s.building.id === ref.building.id);
    if (!buildingSlice) {
      buildingSlice = { building: ref.building, pools: [] };
      slices.push(buildingSlice);
    }
    const pools = buildingSlice.pools;
    const existing = pools.findIndex((p) => p.pool.id === ref.pool.id);
    const previous = existing >= 0 ? pools[existing] : undefined;
    const next = {
      pool: ref.pool,
      scalableUnits: [...(previous?.scalableUnits ?? []), ref.unit],
      racks: (previous?.racks ?? 0) + ref.unit.racks,
      nodes: (previous?.nodes ?? 0) + ref.unit.nodes,
      gpus: (previous?.gpus ?? 0) + ref.unit.gpus,
    };
    if (existing >= 0) pools[existing] = next;
    else pools.push(next);
  }
  return slices;
}

function tenantsFor(env: Environment, buildings: readonly ClusterBuildingSlice[], gpus: number): TenantPlan[] {
  const buildingIds = buildings.map((b) => b.building.id);
  const pools = buildings.flatMap((b) => b.pools);
  return env.tenants
    .filter((t) => t.buildings === undefined || t.buildings.some((b) => buildingIds.includes(b)))
    .map((t) => tenantPlan(t, buildingIds, pools, gpus, env.addons.kueue));
}

function tenantPlan(
  t: TenantSpec,
  buildingIds: readonly string[],
  pools: readonly ClusterPoolSlice[],
  gpus: number,
  kueue: boolean,
): TenantPlan {
  const gpuQuota = t.gpuQuota ?? Math.floor((t.gpuShare ?? 0) * gpus);
  // Kueue admits borrowed GPUs; a ResourceQuota at the nominal quota would then refuse the pods.
  const borrowable = kueue ? Math.max(0, Math.min(t.queue?.borrowingLimitGpus ?? gpus, gpus - gpuQuota)) : 0;
  return {
    homeBuildingId:
      buildingIds.find((b) => t.buildings === undefined || t.buildings.includes(b)) ?? buildingIds[0] ?? "",
    id: t.id,
    namespace: t.id,
    gpuQuota,
    gpuRequestCeiling: gpuQuota + borrowable,
    datasetVolumeTiB: t.datasetVolumeTiB,
    checkpointVolumeTiB: t.checkpointVolumeTiB,
    storageQuotaTiB: t.storageQuotaTiB ?? sumDefined(t.datasetVolumeTiB, t.checkpointVolumeTiB),
    queue: tenantQueuePlan(t, gpuQuota, pools),
  };
}

function sumDefined(...values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : present.reduce((a, b) => a + b, 0);
}

function contextFor(env: Environment, clusterId: string): string | undefined {
  const { contexts, contextPattern } = env.clusters.kubeconfig;
  return contexts[clusterId] ?? contextPattern?.replaceAll("{cluster}", clusterId);
}

/** The building's StorageClasses in one cluster (names suffixed when the cluster spans buildings). */
function buildingStorage(
  env: Environment,
  buildingId: string,
  suffix: boolean,
  simulated: boolean,
): BuildingStoragePlan {
  const { localNvme, sharedFilesystem, checkpoint } = env.storage;
  const named = (base: string, provisioner: string) => ({
    name: storageClassName(base, buildingId, suffix),
    provisioner,
  });
  return {
    localNvme: named(localNvme.storageClass, localNvme.provisioner),
    sharedFilesystem: named(sharedFilesystem.storageClass, sharedFilesystem.csiDriver),
    checkpoint: named(checkpoint.storageClass, checkpoint.csiDriver ?? sharedFilesystem.csiDriver),
    volumeAccessMode: simulated ? "ReadWriteOnce" : "ReadWriteMany",
  };
}

interface ClusterShard {
  readonly id: string;
  readonly units: readonly UnitRef[];
}

/** This cluster's position among the clusters that share one of its buildings (and so its fabric). */
function fabricIndexOf(shard: ClusterShard, shards: readonly ClusterShard[]): number {
  const own = new Set(shard.units.map((u) => u.building.id));
  const neighbours = shards.filter((s) => s.units.some((u) => own.has(u.building.id)));
  return Math.max(
    0,
    neighbours.findIndex((s) => s.id === shard.id),
  );
}

function planCluster(env: Environment, shard: ClusterShard, shards: readonly ClusterShard[]): ClusterPlan {
  const { id, units } = shard;
  const unitSlices = sliceUnits(units);
  const simulated = units.every((u) => u.pool.sku.simulated);
  const identity = {
    region: env.campus.region,
    campusId: env.campus.id,
    clusterId: id,
  };
  const buildings: ClusterBuildingSlice[] = unitSlices.map((slice) => ({
    building: slice.building,
    pools: slice.pools.map((p) => {
      const labels = poolLabels(identity, p.pool);
      return { ...p, name: poolObjectName(p.pool), labels, selector: poolSelector(labels, p.pool) };
    }),
    storage: buildingStorage(env, slice.building.id, unitSlices.length > 1, simulated),
  }));
  const sum = (f: (u: UnitRef) => number) => units.reduce((total, u) => total + f(u), 0);
  const nodes = sum((u) => u.unit.nodes);
  const gpus = sum((u) => u.unit.gpus);
  const tenants = tenantsFor(env, buildings, gpus);
  return {
    id,
    stackName: `${env.name}-${id}`,
    buildings,
    racks: sum((u) => u.unit.racks),
    nodes,
    gpus,
    scalableUnits: units.length,
    nvlinkDomains: sum((u) => u.unit.gpus / u.pool.sku.nvlinkDomainGpus),
    itPowerMW: sum((u) => u.unit.racks * u.pool.sku.rackPowerKW) / 1000,
    maxPods: nodes * env.clusters.maxPodsPerNode,
    kubeconfig: { path: env.clusters.kubeconfig.path, context: contextFor(env, id) },
    tenants,
    sharedQuota: cohortSharedQuota(
      buildings.flatMap((b) => b.pools),
      tenants,
    ),
    simulated,
    rails: Math.max(0, ...units.map((u) => u.pool.sku.computeNicsPerNode)),
    fabricIndex: fabricIndexOf(shard, shards),
  };
}

function planClusters(env: Environment, buildings: readonly BuildingPlan[]): ClusterPlan[] {
  const cap = effectiveNodeCap(env);
  const unitsOf = (building: BuildingPlan): UnitRef[] =>
    building.pools.flatMap((pool) => pool.scalableUnits.map((unit) => ({ building, pool, unit })));
  const groups: { prefix: string; units: UnitRef[] }[] =
    env.clusters.grouping === "campus"
      ? [{ prefix: "", units: buildings.flatMap(unitsOf) }]
      : buildings.map((b) => ({ prefix: `${b.id}-`, units: unitsOf(b) }));
  const shards: ClusterShard[] = [];
  for (const group of groups) {
    const partition = partitionUnits(
      group.units.map((u) => u.unit.nodes),
      cap,
    );
    if (!partition) throw new PlanError(`a scalable unit is larger than the ${cap}-node cluster cap`);
    partition.forEach((indices, i) => {
      shards.push({ id: `${group.prefix}c${i + 1}`, units: indices.map((index) => group.units[index] as UnitRef) });
    });
  }
  return shards.map((shard) => planCluster(env, shard, shards));
}

function totalsOf(buildings: readonly BuildingPlan[], clusters: readonly ClusterPlan[]): CampusTotals {
  const sum = (f: (b: BuildingPlan) => number) => buildings.reduce((total, b) => total + f(b), 0);
  return {
    buildings: buildings.length,
    clusters: clusters.length,
    gpus: sum((b) => b.gpus),
    nodes: sum((b) => b.nodes),
    racks: sum((b) => b.racks),
    scalableUnits: sum((b) => b.scalableUnits),
    nvlinkDomains: sum((b) => b.nvlinkDomains),
    itPowerMW: sum((b) => b.itPowerMW),
    facilityPowerMW: sum((b) => b.facilityPowerMW),
    switches: sum((b) => b.fabric?.totalSwitches ?? 0),
    storageCapacityTiB: sum((b) => b.storage.capacityTiB),
    storageReadGBps: sum((b) => b.storage.readGBps),
  };
}

export function buildCampusPlan(env: Environment): CampusPlan {
  const buildings = env.buildings.map((b) => planBuilding(env, b));
  const clusters = planClusters(env, buildings);
  return {
    environment: env.name,
    campusId: env.campus.id,
    region: env.campus.region,
    pue: env.campus.pue,
    gridPowerMW: env.campus.gridPowerMW,
    maxPodsPerNode: env.clusters.maxPodsPerNode,
    kubernetesVersion: env.clusters.kubernetesVersion,
    addons: env.addons,
    backend: env.backend,
    railNetwork: { cni: env.fabric.railCni, transport: env.fabric.compute.transport },
    allowQuotaOvercommit: env.clusters.allowQuotaOvercommit,
    simulated: buildings.every((b) => b.pools.every((p) => p.sku.simulated)),
    buildings,
    clusters,
    totals: totalsOf(buildings, clusters),
  };
}
