import type { GpuSku } from "../catalog/gpu-skus.js";
import type { SwitchModel } from "../catalog/switches.js";
import type { DevicePluginSpec } from "../model/schema.js";
import type { FatTree } from "./fat-tree.js";

/** Racks that are bought, cabled and scheduled as one block; never split across clusters. */
export interface ScalableUnitPlan {
  /** Unique on the campus: `<building>-<pool>-su<NN>`. */
  readonly id: string;
  readonly buildingId: string;
  readonly poolId: string;
  /** 1-based position inside its pool. */
  readonly index: number;
  /** 1-based number of the first rack of the unit inside its pool. */
  readonly firstRack: number;
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
}

export interface PoolPlan {
  readonly id: string;
  readonly buildingId: string;
  readonly sku: GpuSku;
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly nvlinkDomains: number;
  readonly scalableUnits: readonly ScalableUnitPlan[];
  readonly devicePlugin: DevicePluginSpec;
  /** Name of this pool's entry in the device plugin ConfigMap (the node label's value). */
  readonly devicePluginConfigName: string;
  readonly itPowerKW: number;
}

export interface FabricPlan {
  readonly switchModel: SwitchModel;
  readonly transport: "infiniband" | "roce";
  readonly linkGbps: number;
  readonly radix: number;
  readonly oversubscription: number;
  /** Independent planes: one per NIC rail when rail-optimized. */
  readonly planes: number;
  /** Hosts (NIC ports) on each plane. */
  readonly hostsPerPlane: number;
  /** The tree of one plane. */
  readonly plane: FatTree;
  readonly totalSwitches: number;
  readonly totalLinks: number;
}

export interface StoragePlan {
  readonly capacityTiB: number;
  readonly readGBps: number;
}

export interface BuildingPlan {
  readonly id: string;
  readonly phase: number;
  readonly itPowerBudgetMW: number;
  readonly rackPositions: number;
  readonly pools: readonly PoolPlan[];
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly scalableUnits: number;
  readonly nvlinkDomains: number;
  readonly itPowerMW: number;
  readonly facilityPowerMW: number;
  /** The building's compute fabric; undefined only when the switch cannot build it (a check error). */
  readonly fabric: FabricPlan | undefined;
  readonly storage: StoragePlan;
}

/** The scalable units of one pool that a cluster holds. */
export interface ClusterPoolSlice {
  readonly pool: PoolPlan;
  readonly scalableUnits: readonly ScalableUnitPlan[];
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
}

export interface ClusterBuildingSlice {
  readonly building: BuildingPlan;
  readonly pools: readonly ClusterPoolSlice[];
}

export interface TenantPlan {
  readonly id: string;
  readonly namespace: string;
  readonly gpuQuota: number;
  readonly datasetVolumeTiB: number | undefined;
  readonly checkpointVolumeTiB: number | undefined;
  readonly storageQuotaTiB: number | undefined;
}

export interface ClusterPlan {
  /** `<building>-c<N>` (per-building grouping) or `c<N>` (campus grouping). */
  readonly id: string;
  /** `<environment>-<cluster>`. */
  readonly stackName: string;
  readonly buildings: readonly ClusterBuildingSlice[];
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
  readonly scalableUnits: number;
  readonly nvlinkDomains: number;
  readonly itPowerMW: number;
  /** Pod budget: nodes × kubelet max-pods. */
  readonly maxPods: number;
  readonly kubeconfig: { readonly path: string; readonly context: string | undefined };
  readonly tenants: readonly TenantPlan[];
}

export interface CampusTotals {
  readonly buildings: number;
  readonly clusters: number;
  readonly gpus: number;
  readonly nodes: number;
  readonly racks: number;
  readonly scalableUnits: number;
  readonly nvlinkDomains: number;
  readonly itPowerMW: number;
  readonly facilityPowerMW: number;
  readonly switches: number;
  readonly storageCapacityTiB: number;
  readonly storageReadGBps: number;
}

export interface CampusPlan {
  readonly environment: string;
  readonly campusId: string;
  readonly region: string;
  readonly pue: number;
  readonly gridPowerMW: number | undefined;
  readonly maxPodsPerNode: number;
  readonly buildings: readonly BuildingPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly totals: CampusTotals;
}
