import type { CapacityBuilding, CapacityCluster, CapacityFile } from "./capacity-schema.js";
import type { BuildingPlan, CampusPlan, ClusterPlan, FabricPlan } from "./plan-types.js";

/**
 * The capacity summary: what capacity.json holds and what each cluster's inventory ConfigMap
 * carries. Figures are rounded so that a diff of this file only moves when capacity does.
 */

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function fabricCapacity(fabric: FabricPlan): NonNullable<CapacityBuilding["fabric"]> {
  return {
    switch: fabric.switchModel.id,
    transport: fabric.transport,
    linkGbps: fabric.linkGbps,
    radix: fabric.radix,
    oversubscription: fabric.oversubscription,
    planes: fabric.planes,
    hostsPerPlane: fabric.hostsPerPlane,
    tiers: fabric.plane.tiers,
    leavesPerPlane: fabric.plane.leaves,
    spinesPerPlane: fabric.plane.spines,
    coresPerPlane: fabric.plane.cores,
    switches: fabric.totalSwitches,
    links: fabric.totalLinks,
    design: fabric.design,
    planeAssignment: fabric.planeAssignment,
    rails: fabric.rails,
    breakout: fabric.link.breakout,
    linksPerLeafSpinePair: fabric.plane.linksPerLeafSpinePair,
    cabling: fabric.links,
    transceivers: fabric.transceivers,
    switchPowerKW: round(fabric.switchPowerKW, 1),
    opticsPowerKW: round(fabric.opticsPowerKW, 1),
    growth: fabric.growth,
  };
}

export function buildingCapacity(building: BuildingPlan): CapacityBuilding {
  return {
    id: building.id,
    phase: building.phase,
    gpus: building.gpus,
    nodes: building.nodes,
    racks: building.racks,
    rackPositions: building.rackPositions,
    scalableUnits: building.scalableUnits,
    nvlinkDomains: building.nvlinkDomains,
    itPowerMW: round(building.itPowerMW),
    itPowerBudgetMW: building.itPowerBudgetMW,
    rackPowerMW: round(building.rackPowerMW),
    networkPowerMW: round(building.networkPowerMW),
    facilityPowerMW: round(building.facilityPowerMW),
    pools: building.pools.map((p) => ({
      id: p.id,
      sku: p.sku.id,
      racks: p.racks,
      nodes: p.nodes,
      gpus: p.gpus,
      gpuResource: p.gpuResource,
      advertisedGpusPerNode: p.advertisedGpusPerNode,
      racksPerScalableUnit: p.sku.racksPerScalableUnit,
      nodesPerRack: p.sku.nodesPerRack,
      scalableUnitPowerKW: round(p.scalableUnits[0]?.powerKW ?? 0, 1),
    })),
    fabric: building.fabric ? fabricCapacity(building.fabric) : null,
    storage: { capacityTiB: round(building.storage.capacityTiB), readGBps: round(building.storage.readGBps) },
  };
}

export function clusterCapacity(cluster: ClusterPlan): CapacityCluster {
  return {
    id: cluster.id,
    stack: cluster.stackName,
    gpus: cluster.gpus,
    gpuUnits: { ...cluster.gpuUnits },
    nodes: cluster.nodes,
    racks: cluster.racks,
    scalableUnits: cluster.scalableUnits,
    nvlinkDomains: cluster.nvlinkDomains,
    itPowerMW: round(cluster.itPowerMW),
    maxPods: cluster.maxPods,
    kubeconfigContext: cluster.kubeconfig.context ?? null,
    buildings: cluster.buildings.map((slice) => ({
      id: slice.building.id,
      pools: slice.pools.map((p) => ({
        id: p.pool.id,
        sku: p.pool.sku.id,
        racks: p.racks,
        nodes: p.nodes,
        gpus: p.gpus,
        advertisedGpus: p.advertisedGpus,
        scalableUnits: p.scalableUnits.map((u) => u.id),
      })),
    })),
    tenants: cluster.tenants.map((t) => ({
      id: t.id,
      gpuQuota: t.gpuQuota,
      gpuResourceQuotas: { ...t.gpuResourceQuotas },
    })),
  };
}

export function campusCapacity(plan: CampusPlan): CapacityFile {
  const t = plan.totals;
  return {
    environment: plan.environment,
    campus: plan.campusId,
    region: plan.region,
    pue: plan.pue,
    gridPowerMW: plan.gridPowerMW ?? null,
    totals: {
      buildings: t.buildings,
      clusters: t.clusters,
      gpus: t.gpus,
      nodes: t.nodes,
      racks: t.racks,
      scalableUnits: t.scalableUnits,
      nvlinkDomains: t.nvlinkDomains,
      itPowerMW: round(t.itPowerMW),
      networkPowerMW: round(t.networkPowerMW),
      facilityPowerMW: round(t.facilityPowerMW),
      switches: t.switches,
      storageCapacityTiB: round(t.storageCapacityTiB),
      storageReadGBps: round(t.storageReadGBps),
    },
    buildings: plan.buildings.map(buildingCapacity),
    clusters: plan.clusters.map(clusterCapacity),
  };
}
