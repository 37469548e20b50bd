import { Construct } from "constructs";
import { buildingCapacity } from "../plan/capacity.js";
import type { ClusterBuildingSlice } from "../plan/plan-types.js";
import { fabricDocumentKey } from "../vocabulary/names.js";
import { BuildingStorage } from "./building-storage.js";
import type { IInventory } from "./campus-inventory.js";
import { GpuNodePool } from "./gpu-node-pool.js";
import type { IKueueFlavors } from "./kueue-scheduling.js";
import type { IDevicePluginHost } from "./nvidia-device-plugin.js";
import type { IRailNetworks } from "./rail-networks.js";

export interface BuildingProps {
  /** The part of the building that lives in this cluster: pools, storage classes. */
  readonly slice: ClusterBuildingSlice;
  readonly inventory: IInventory;
  /** The cluster's rails: named in the building's fabric document. */
  readonly rails: IRailNetworks;
  /**
   * Kueue's flavors: each pool gets a ResourceFlavor.
   * @default - none: Kueue is not installed, no flavors
   */
  readonly kueue?: IKueueFlavors;
  /**
   * Runs the device plugin on the building's physical pools.
   * @default - none: every pool of the building must be simulated
   */
  readonly devicePlugin?: IDevicePluginHost;
}

/**
 * The part of one building that lives in a cluster: a GpuNodePool per pool (with its device plugin
 * DaemonSet and Kueue ResourceFlavor), the building's fabric plan in the inventory, and its storage.
 * Everything scales with pools, not nodes: doubling the racks changes quotas and figures, not the
 * resources.
 */
export class Building extends Construct {
  readonly id: string;
  readonly pools: readonly GpuNodePool[];
  readonly storage: BuildingStorage;

  constructor(scope: Construct, id: string, props: BuildingProps) {
    super(scope, id);
    const { slice, rails, kueue } = props;
    this.id = slice.building.id;
    this.pools = slice.pools.map((poolSlice) => {
      const pool = new GpuNodePool(this, `pool-${poolSlice.pool.id}`, {
        slice: poolSlice,
        ...(props.devicePlugin && { devicePlugin: props.devicePlugin }),
      });
      kueue?.addPool(pool);
      return pool;
    });
    props.inventory.addDocument(fabricDocumentKey(this.id), {
      building: this.id,
      fabric: buildingCapacity(slice.building).fabric,
      railCni: rails.cni,
      railNetworks: rails.railNetworkNames,
      railSubnets: rails.railNetworkNames.map((_, rail) => rails.railSubnet(rail)),
      topology: kueue ? { name: kueue.topologyName, levels: kueue.topologyLevels } : null,
    });
    this.storage = new BuildingStorage(this, "storage", {
      building: slice.building,
      storage: slice.storage,
      inventory: props.inventory,
    });
  }
}
