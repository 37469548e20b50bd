import { GPU_SKUS, type GpuSku } from "../catalog/gpu-skus.js";
import { clusterNodeCap } from "../catalog/kubernetes-limits.js";
import { type FabricLink, type FabricLinkResult, fabricLink } from "../catalog/links.js";
import { NVIDIA_DEVICE_PLUGIN } from "../catalog/nvidia-device-plugin.js";
import { SWITCH_MODELS, type SwitchModel } from "../catalog/switches.js";
import { poolRacks } from "../model/pool-size.js";
import type { BuildingSpec, Environment, PoolSpec, TenantSpec } from "../model/schema.js";
import { GPU_RESOURCE } from "../vocabulary/labels.js";
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
  FabricPlanePlan,
  PoolPlan,
  ScalableUnitPlan,
  TenantPlan,
} from "./plan-types.js";
import { clusterTarget, packUnits } from "./shards.js";
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

/**
 * What a pool's nodes advertise. Sharing advertises each GPU `replicas` times ("a node with 8 GPUs
 * … would now advertise 80 nvidia.com/gpu resources" for replicas 10), renamed to
 * `nvidia.com/gpu.shared` with renameByDefault (NVIDIA/k8s-device-plugin v0.20.0 README, "Shared
 * Access to GPUs"; suffix api/config/v1/consts.go).
 */
export function advertisedGpu(
  sku: Pick<GpuSku, "gpusPerNode">,
  spec: PoolSpec["devicePlugin"],
): { resource: string; perNode: number } {
  const sharing = spec.sharing;
  if (!sharing) return { resource: GPU_RESOURCE, perNode: sku.gpusPerNode };
  return {
    resource: sharing.renameByDefault ? `${GPU_RESOURCE}${NVIDIA_DEVICE_PLUGIN.sharedResourceSuffix}` : GPU_RESOURCE,
    perNode: sku.gpusPerNode * sharing.replicas,
  };
}

/** A pool before its power is known: the fabric's share of each unit needs the whole building. */
type UnpoweredPool = Omit<PoolPlan, "scalableUnits" | "itPowerKW"> & {
  readonly scalableUnits: readonly Omit<ScalableUnitPlan, "powerKW">[];
};

function planPool(env: Environment, building: BuildingSpec, pool: PoolSpec): UnpoweredPool {
  const sku = skuOf(pool);
  const racks = racksOf(pool, sku);
  const linksPerNic = nicLinksOf(env, sku);
  const scalableUnits: Omit<ScalableUnitPlan, "powerKW">[] = [];
  for (let firstRack = 1, index = 1; firstRack <= racks; firstRack += sku.racksPerScalableUnit, index++) {
    const unitRacks = Math.min(sku.racksPerScalableUnit, racks - firstRack + 1);
    const nodes = unitRacks * sku.nodesPerRack;
    scalableUnits.push({
      id: `${building.id}-${pool.id}-su${String(index).padStart(2, "0")}`,
      buildingId: building.id,
      poolId: pool.id,
      index,
      firstRack,
      racks: unitRacks,
      nodes,
      gpus: unitRacks * sku.gpusPerRack,
      hostLinks: nodes * sku.computeNicsPerNode * linksPerNic,
    });
  }
  const gpus = racks * sku.gpusPerRack;
  const advertised = advertisedGpu(sku, pool.devicePlugin);
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
    gpuResource: advertised.resource,
    advertisedGpusPerNode: advertised.perNode,
    devicePluginConfigName: `${building.id}-${pool.id}`,
  };
}

/** Links each NIC port makes: the fan-out count of a multi-plane fabric, else the NIC's own mode's. */
function nicLinksOf(env: Environment, sku: GpuSku): number {
  const link = linkOf(env, sku);
  return link.ok ? link.link.linksPerNicPort : 1;
}

/** The fan-out a multi-plane fabric asks of every NIC port; undefined when the design does not fan out. */
export function requestedFanOut(env: Environment): number | undefined {
  const { design, planes } = env.fabric.compute;
  return design === "multi-plane" && typeof planes === "number" ? planes : undefined;
}

/** How a SKU's compute NIC links to the environment's switch; not ok when it cannot (a check error). */
export function linkOf(env: Environment, sku: GpuSku): FabricLinkResult {
  const switchModel = SWITCH_MODELS.get(env.fabric.compute.switch);
  if (!switchModel) return { ok: false, reason: `unknown switch "${env.fabric.compute.switch}"` };
  return fabricLink(sku.computeNic, switchModel, env.fabric.compute.transport, requestedFanOut(env));
}

/** What a building asks of its compute fabric: the host links of each plane's rails, and the link. */
export interface FabricDemand {
  readonly switchModel: SwitchModel;
  readonly link: FabricLink;
  readonly planeAssignment: FabricPlan["planeAssignment"];
  readonly rails: number;
  /** Host links per rail, one entry per plane. */
  readonly planes: readonly (readonly number[])[];
  readonly hostsPerPlane: number;
}

/** Host links on each rail: rail i carries NIC i of every node that has more than i NICs. */
function hostsPerRail(pools: readonly { nodes: number; sku: GpuSku }[], rails: number, links: (sku: GpuSku) => number) {
  return Array.from({ length: rails }, (_, rail) =>
    pools.reduce((sum, p) => sum + (p.sku.computeNicsPerNode > rail ? p.nodes * links(p.sku) : 0), 0),
  );
}

/**
 * The demand of a building's pools on the chosen switch; undefined when a pool's NIC cannot link to
 * it or the pools link at different speeds (the checks report both).
 */
export function fabricDemand(
  env: Environment,
  pools: readonly { nodes: number; sku: GpuSku }[],
): FabricDemand | undefined {
  const switchModel = SWITCH_MODELS.get(env.fabric.compute.switch);
  if (!switchModel || pools.length === 0) return undefined;
  const links = pools.map((p) => linkOf(env, p.sku));
  const first = links[0];
  if (!first?.ok || links.some((l) => !l.ok || l.link.linkGbps !== first.link.linkGbps)) return undefined;
  const rails = Math.max(...pools.map((p) => p.sku.computeNicsPerNode));
  const { design } = env.fabric.compute;
  const fanOut = requestedFanOut(env);
  let planes: number[][];
  let planeAssignment: FabricPlan["planeAssignment"];
  if (design === "rail-optimized") {
    planeAssignment = "rails-joined";
    planes = [hostsPerRail(pools, rails, (sku) => nicLinksOf(env, sku))];
  } else if (fanOut === undefined) {
    planeAssignment = "per-rail";
    planes = hostsPerRail(pools, rails, (sku) => nicLinksOf(env, sku)).map((hosts) => [hosts]);
  } else {
    planeAssignment = "fan-out";
    planes = Array.from({ length: fanOut }, () => hostsPerRail(pools, rails, () => 1));
  }
  return {
    switchModel,
    link: first.link,
    planeAssignment,
    rails,
    planes,
    hostsPerPlane: Math.max(...planes.map((plane) => plane.reduce((a, b) => a + b, 0))),
  };
}

/** Hosts per rail scaled to the building's full floor, today's mix of pools kept. */
function floorHosts(hosts: readonly number[], racks: number, rackPositions: number): number[] {
  // Multiply before dividing so whole results stay whole (12,384 × 720 / 688 = 12,960, not 12,960.000…1).
  if (racks <= 0 || rackPositions <= racks) return [...hosts];
  return hosts.map((h) => Math.ceil((h * rackPositions) / racks));
}

/** Sizes one building's compute fabric; undefined when the switch cannot build it. */
function planFabric(env: Environment, building: BuildingSpec, pools: readonly UnpoweredPool[]): FabricPlan | undefined {
  const compute = env.fabric.compute;
  const demand = fabricDemand(env, pools);
  if (!demand) return undefined;
  const racks = pools.reduce((sum, p) => sum + p.racks, 0);
  const { switchModel, link } = demand;
  const planePlans: FabricPlanePlan[] = [];
  for (const hosts of demand.planes) {
    const tree = sizeFatTree({
      hostsPerRail: hosts,
      radix: link.radix,
      oversubscription: compute.oversubscription,
      maxTiers: compute.maxTiers,
      growthHostsPerRail: floorHosts(hosts, racks, building.rackPositions),
    });
    if (!tree) return undefined;
    planePlans.push({ hostsPerRail: hosts, tree });
  }
  const busiest = planePlans.reduce((a, b) => (b.tree.links.nodeLeaf > a.tree.links.nodeLeaf ? b : a));
  const sum = (f: (p: FabricPlanePlan) => number) => planePlans.reduce((total, p) => total + f(p), 0);
  const links = {
    nodeLeaf: sum((p) => p.tree.links.nodeLeaf),
    leafSpine: sum((p) => p.tree.links.leafSpine),
    spineCore: sum((p) => p.tree.links.spineCore),
  };
  // A NIC port's transceiver carries all of its links (ConnectX-8's 2 × 400G share one module); a
  // switch-side twin-port module carries 8 lanes, so 2 links of 4 lanes (research issue 13, §4).
  const perModule = link.linksPerSwitchTransceiver;
  const modules = (n: number) => Math.ceil(n / perModule);
  const transceivers = {
    nodeLeaf: { host: links.nodeLeaf / link.linksPerNicPort, switch: modules(links.nodeLeaf) },
    leafSpine: { host: 0, switch: 2 * modules(links.leafSpine) },
    spineCore: { host: 0, switch: 2 * modules(links.spineCore) },
  };
  const totalSwitches = sum((p) => p.tree.switches);
  // One host optic per NIC port, at each pool's own NIC's figure.
  const hostOpticsW = pools.reduce(
    (sum, p) => sum + p.nodes * p.sku.computeNicsPerNode * p.sku.computeNic.transceiverW,
    0,
  );
  const switchModules = transceivers.nodeLeaf.switch + transceivers.leafSpine.switch + transceivers.spineCore.switch;
  const floor = floorHosts(busiest.hostsPerRail, racks, building.rackPositions).reduce((a, b) => a + b, 0);
  return {
    design: compute.design,
    planeAssignment: demand.planeAssignment,
    switchModel,
    transport: compute.transport,
    link,
    linkGbps: link.linkGbps,
    radix: link.radix,
    oversubscription: compute.oversubscription,
    rails: demand.rails,
    planes: planePlans.length,
    hostsPerPlane: demand.hostsPerPlane,
    plane: busiest.tree,
    planePlans,
    totalSwitches,
    totalLinks: links.nodeLeaf + links.leafSpine + links.spineCore,
    links,
    transceivers,
    switchPowerKW: (totalSwitches * switchModel.chassisPowerW) / 1000,
    opticsPowerKW: (hostOpticsW + switchModules * switchModel.transceiverW) / 1000,
    growth: {
      floorHostsPerPlane: floor,
      maxHostsPerPlane: busiest.tree.maxHosts,
      leavesBeforeNewSpine: busiest.tree.leavesBeforeNewSpine,
    },
  };
}

/** Gives every unit its power: racks plus its share of the fabric, or the published SU TDP if larger. */
function powerPools(pools: readonly UnpoweredPool[], fabric: FabricPlan | undefined): PoolPlan[] {
  const fabricKW = fabric ? fabric.switchPowerKW + fabric.opticsPowerKW : 0;
  const hostLinks = pools.reduce((sum, p) => sum + p.scalableUnits.reduce((s, u) => s + u.hostLinks, 0), 0);
  const perLinkKW = hostLinks > 0 ? fabricKW / hostLinks : 0;
  return pools.map((pool) => {
    const { sku } = pool;
    const scalableUnits = pool.scalableUnits.map((unit) => {
      const bottomUp = unit.racks * sku.rackPowerKW + unit.hostLinks * perLinkKW;
      const published =
        sku.scalableUnitTdpKW === undefined ? 0 : (sku.scalableUnitTdpKW * unit.racks) / sku.racksPerScalableUnit;
      return { ...unit, powerKW: Math.max(bottomUp, published) };
    });
    return { ...pool, scalableUnits, itPowerKW: scalableUnits.reduce((sum, u) => sum + u.powerKW, 0) };
  });
}

function planBuilding(env: Environment, building: BuildingSpec): BuildingPlan {
  const unpowered = building.pools.map((pool) => planPool(env, building, pool));
  const fabric = planFabric(env, building, unpowered);
  const pools = powerPools(unpowered, fabric);
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
    rackPowerMW: sum((p) => p.racks * p.sku.rackPowerKW) / 1000,
    networkPowerMW: fabric ? (fabric.switchPowerKW + fabric.opticsPowerKW) / 1000 : 0,
    itPowerMW,
    facilityPowerMW: itPowerMW * env.campus.pue,
    fabric,
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

function tenantsFor(
  env: Environment,
  buildings: readonly ClusterBuildingSlice[],
  gpus: number,
  gpuUnits: Readonly<Record<string, number>>,
): TenantPlan[] {
  const buildingIds = buildings.map((b) => b.building.id);
  const pools = buildings.flatMap((b) => b.pools);
  return env.tenants
    .filter((t) => t.buildings === undefined || t.buildings.some((b) => buildingIds.includes(b)))
    .map((t) => tenantPlan(t, buildingIds, pools, gpus, gpuUnits, env.addons.kueue));
}

function tenantPlan(
  t: TenantSpec,
  buildingIds: readonly string[],
  pools: readonly ClusterPoolSlice[],
  gpus: number,
  gpuUnits: Readonly<Record<string, number>>,
  kueue: boolean,
): TenantPlan {
  const gpuQuota = t.gpuQuota ?? Math.floor((t.gpuShare ?? 0) * gpus);
  // Kueue admits borrowed GPUs; a ResourceQuota at the nominal quota would then refuse the pods.
  const borrowable = kueue ? Math.max(0, Math.min(t.queue?.borrowingLimitGpus ?? gpus, gpus - gpuQuota)) : 0;
  // GPUs in a resource's advertised units; exact when nothing is shared (units = gpus).
  const inUnits = (count: number, units: number) => (gpus === 0 ? 0 : Math.floor((count * units) / gpus));
  const quotaUnits = (units: number) =>
    t.gpuShare !== undefined ? Math.floor(t.gpuShare * units) : inUnits(gpuQuota, units);
  return {
    homeBuildingId:
      buildingIds.find((b) => t.buildings === undefined || t.buildings.includes(b)) ?? buildingIds[0] ?? "",
    id: t.id,
    namespace: t.id,
    gpuQuota,
    gpuRequestCeiling: gpuQuota + borrowable,
    gpuResourceQuotas: Object.fromEntries(
      Object.entries(gpuUnits).map(([resource, units]) => [resource, quotaUnits(units) + inUnits(borrowable, units)]),
    ),
    rdma: t.rdma,
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
      return {
        ...p,
        name: poolObjectName(p.pool),
        labels,
        selector: poolSelector(labels, p.pool),
        advertisedGpus: p.nodes * p.pool.advertisedGpusPerNode,
      };
    }),
    storage: buildingStorage(env, slice.building.id, unitSlices.length > 1, simulated),
  }));
  const sum = (f: (u: UnitRef) => number) => units.reduce((total, u) => total + f(u), 0);
  const nodes = sum((u) => u.unit.nodes);
  const gpus = sum((u) => u.unit.gpus);
  const gpuUnits: Record<string, number> = {};
  for (const u of units) {
    gpuUnits[u.pool.gpuResource] = (gpuUnits[u.pool.gpuResource] ?? 0) + u.unit.nodes * u.pool.advertisedGpusPerNode;
  }
  const tenants = tenantsFor(env, buildings, gpus, gpuUnits);
  return {
    id,
    stackName: `${env.name}-${id}`,
    buildings,
    racks: sum((u) => u.unit.racks),
    nodes,
    gpus,
    gpuUnits,
    scalableUnits: units.length,
    nvlinkDomains: sum((u) => u.unit.gpus / u.pool.sku.nvlinkDomainGpus),
    itPowerMW: sum((u) => u.unit.powerKW) / 1000,
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

/**
 * Nodes of a full floor: every rack position holding the catalog's densest rack. Taken from the
 * catalog, not from the building's pools, so adding a pool of another SKU does not move the target.
 */
const DENSEST_RACK_NODES = Math.max(...[...GPU_SKUS.values()].map((sku) => sku.nodesPerRack));
const LARGEST_UNIT_NODES = Math.max(
  ...[...GPU_SKUS.values()].map((sku) => sku.racksPerScalableUnit * sku.nodesPerRack),
);

function floorNodesOf(building: BuildingPlan): number {
  return building.rackPositions * DENSEST_RACK_NODES;
}

function planClusters(env: Environment, buildings: readonly BuildingPlan[]): ClusterPlan[] {
  const cap = effectiveNodeCap(env);
  const unitsOf = (building: BuildingPlan): UnitRef[] =>
    building.pools.flatMap((pool) => pool.scalableUnits.map((unit) => ({ building, pool, unit })));
  const groups: { prefix: string; units: UnitRef[]; floorNodes: number }[] =
    env.clusters.grouping === "campus"
      ? [
          {
            prefix: "",
            units: buildings.flatMap(unitsOf),
            floorNodes: buildings.reduce((s, b) => s + floorNodesOf(b), 0),
          },
        ]
      : buildings.map((b) => ({ prefix: `${b.id}-`, units: unitsOf(b), floorNodes: floorNodesOf(b) }));
  const shards: ClusterShard[] = [];
  for (const group of groups) {
    // Each unit is packed at its full size, so a partial last unit that fills up later stays put.
    const sizes = group.units.map((u) => u.pool.sku.racksPerScalableUnit * u.pool.sku.nodesPerRack);
    // A building over its floor is a check error already; sizing for what is there avoids a second one.
    const floorNodes = Math.max(
      group.floorNodes,
      sizes.reduce((a, b) => a + b, 0),
    );
    const target = clusterTarget(floorNodes, cap, Math.min(cap, LARGEST_UNIT_NODES));
    const partition = packUnits(sizes, target, cap);
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
    networkPowerMW: sum((b) => b.networkPowerMW),
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
