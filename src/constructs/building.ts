import { Construct } from "constructs";
import type { Environment } from "../model/schema.js";
import type { CampusPlan, ClusterBuildingSlice, ClusterPlan } from "../plan/plan-types.js";
import { BuildingStorage } from "./building-storage.js";
import type { CampusInventory } from "./campus-inventory.js";
import { GpuNodePool } from "./gpu-node-pool.js";
import type { NetworkFabric } from "./network-fabric.js";
import type { NvidiaDevicePlugin } from "./nvidia-device-plugin.js";

export interface BuildingProps {
  readonly plan: CampusPlan;
  readonly cluster: ClusterPlan;
  /** The part of the building that lives in this cluster. */
  readonly slice: ClusterBuildingSlice;
  /** The environment's `storage`. */
  readonly storage: Environment["storage"];
  readonly inventory: CampusInventory;
  /** The cluster's fabric: gets a ResourceFlavor per pool and the building's fabric plan. */
  readonly fabric: NetworkFabric;
  /**
   * Runs the device plugin on the building's physical pools.
   * @default - none: every pool of the building must be simulated
   */
  readonly devicePlugin?: NvidiaDevicePlugin;
  /**
   * Append the building id to StorageClass names (the cluster spans several buildings).
   * @default false
   */
  readonly suffixStorageClasses?: boolean;
  /**
   * Access mode of the building's dataset and checkpoint volumes.
   * @default "ReadWriteMany"
   */
  readonly volumeAccessMode?: "ReadWriteMany" | "ReadWriteOnce";
}

/**
 * The part of one building that lives in a cluster: a GpuNodePool per pool (with its device plugin
 * DaemonSet and Kueue ResourceFlavor), the building's fabric plan, and its storage. Everything
 * scales with pools, not nodes: doubling the racks changes quotas and figures, not the resources.
 */
export class Building extends Construct {
  readonly id: string;
  readonly pools: readonly GpuNodePool[];
  readonly storage: BuildingStorage;

  constructor(scope: Construct, id: string, props: BuildingProps) {
    super(scope, id);
    const { plan, cluster, slice, fabric } = props;
    this.id = slice.building.id;
    this.pools = slice.pools.map((poolSlice) => {
      const pool = new GpuNodePool(this, `pool-${poolSlice.pool.id}`, {
        plan,
        cluster,
        slice: poolSlice,
        devicePlugin: props.devicePlugin,
      });
      fabric.addPool(pool);
      return pool;
    });
    fabric.addBuilding(slice.building);
    this.storage = new BuildingStorage(this, "storage", {
      building: slice.building,
      storage: props.storage,
      inventory: props.inventory,
      suffixClassNames: props.suffixStorageClasses,
      volumeAccessMode: props.volumeAccessMode,
    });
  }
}
