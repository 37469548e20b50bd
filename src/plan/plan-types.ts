import type { GpuSku } from "../catalog/gpu-skus.js";
import type { FabricLink } from "../catalog/links.js";
import type { SwitchModel } from "../catalog/switches.js";
import type { DevicePluginSpec, Environment, TenantQueueSpec } from "../model/schema.js";
import type { FatTree, TierLinks } from "./fat-tree.js";

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
  /** Compute-fabric host links of the unit's nodes (NICs × links per NIC). */
  readonly hostLinks: number;
  /**
   * Power budgeted for the unit, kW: the larger of its racks plus its share of the building's compute
   * fabric, and the SKU's published scalable-unit TDP (pro rata for a partial unit).
   */
  readonly powerKW: number;
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
  /**
   * The extended resource the pool's nodes advertise: `nvidia.com/gpu`, or `nvidia.com/gpu.shared`
   * when sharing renames it (NVIDIA/k8s-device-plugin README, "Shared Access to GPUs").
   */
  readonly gpuResource: string;
  /** Units of gpuResource each node advertises: physical GPUs × sharing replicas. */
  readonly advertisedGpusPerNode: number;
  /** Name of this pool's entry in the device plugin ConfigMap (the node label's value). */
  readonly devicePluginConfigName: string;
  readonly itPowerKW: number;
}

/** Transceivers of one tier: host side (in the NICs) and switch side. */
export interface TierTransceivers {
  readonly host: number;
  readonly switch: number;
}

/** One independent Clos plane of a building's compute fabric. */
export interface FabricPlanePlan {
  /** Host links on each rail of the plane. */
  readonly hostsPerRail: readonly number[];
  readonly tree: FatTree;
}

export interface FabricPlan {
  /** docs/environments.md: compute fabric designs. */
  readonly design: "rail-optimized" | "multi-plane";
  /** How host links map to planes: all rails on one plane, one rail a plane, or every NIC port fanned out. */
  readonly planeAssignment: "rails-joined" | "per-rail" | "fan-out";
  readonly switchModel: SwitchModel;
  readonly transport: "infiniband" | "roce";
  /** The link every NIC makes to the switch (lane rate, width, breakout). */
  readonly link: FabricLink;
  readonly linkGbps: number;
  readonly radix: number;
  readonly oversubscription: number;
  /** Rails: the most compute NICs any pool's node has. */
  readonly rails: number;
  /** Independent planes. */
  readonly planes: number;
  /** Hosts (links) on the busiest plane. */
  readonly hostsPerPlane: number;
  /** The busiest plane's tree (every plane has this shape or a smaller one). */
  readonly plane: FatTree;
  readonly planePlans: readonly FabricPlanePlan[];
  readonly totalSwitches: number;
  readonly totalLinks: number;
  /** Links of each tier, all planes. */
  readonly links: TierLinks;
  readonly transceivers: {
    readonly nodeLeaf: TierTransceivers;
    readonly leafSpine: TierTransceivers;
    readonly spineCore: TierTransceivers;
  };
  readonly switchPowerKW: number;
  readonly opticsPowerKW: number;
  /** Growth: what the chosen tiers still hold without a new tier or re-cabled spines. */
  readonly growth: {
    /** Hosts on the busiest plane when the building's floor is full (today's mix, scaled). */
    readonly floorHostsPerPlane: number;
    /** Hosts the chosen tiers reach on one plane. */
    readonly maxHostsPerPlane: number;
    /** Leaves the busiest plane can still add without a new spine. */
    readonly leavesBeforeNewSpine: number;
  };
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
  /** GPU racks alone, MW (racks × rack kW). */
  readonly rackPowerMW: number;
  /** The compute fabric: switch chassis and transceivers, MW. */
  readonly networkPowerMW: number;
  /** Budgeted IT power: the sum of its scalable units' power (ScalableUnitPlan.powerKW), MW. */
  readonly itPowerMW: number;
  readonly facilityPowerMW: number;
  /** The building's compute fabric; undefined only when the switch cannot build it (a check error). */
  readonly fabric: FabricPlan | undefined;
  readonly storage: StoragePlan;
}

/** The scalable units of one pool that a cluster holds, and how the cluster's objects name and select them. */
export interface ClusterPoolSlice {
  readonly pool: PoolPlan;
  /** `<building>-<pool>`: unique on the campus; the pool's name in object names (DaemonSet, ResourceFlavor). */
  readonly name: string;
  /** Every label the pool's nodes in this cluster share (what node registration passes to kubelet). */
  readonly labels: Readonly<Record<string, string>>;
  /** The POOL_SELECTOR_KEYS of `labels`: what picks exactly this pool's nodes in this cluster. */
  readonly selector: Readonly<Record<string, string>>;
  readonly scalableUnits: readonly ScalableUnitPlan[];
  readonly racks: number;
  readonly nodes: number;
  readonly gpus: number;
  /** Units of the pool's gpuResource its nodes in this cluster advertise (gpus × replicas). */
  readonly advertisedGpus: number;
}

/** A StorageClass a building offers in a cluster: its name there and who provisions it. */
export interface StorageClassPlan {
  readonly name: string;
  readonly provisioner: string;
}

/**
 * The building's storage as one cluster sees it. StorageClasses are cluster scoped, so their names
 * get the building id appended only when the cluster spans several buildings (kind).
 */
export interface BuildingStoragePlan {
  readonly localNvme: StorageClassPlan;
  readonly sharedFilesystem: StorageClassPlan;
  readonly checkpoint: StorageClassPlan;
  /** kind's local-path provisioner cannot share a volume between nodes: simulated clusters use ReadWriteOnce. */
  readonly volumeAccessMode: "ReadWriteMany" | "ReadWriteOnce";
}

export interface ClusterBuildingSlice {
  readonly building: BuildingPlan;
  readonly pools: readonly ClusterPoolSlice[];
  readonly storage: BuildingStoragePlan;
}

/** One flavor's share of a tenant's ClusterQueue: nominal quota and limits for every covered resource. */
export interface FlavorQuotaPlan {
  /** The ResourceFlavor: the pool's object name in this cluster. */
  readonly flavor: string;
  readonly gpus: number;
  /** cpu and memory in proportion to the GPUs (a node's cores and GiB per GPU), rounded up. */
  readonly cpus: number;
  readonly memoryGiB: number;
  /** Undefined: no limit (Kueue's default). */
  readonly borrowingLimit: ResourceFigures | undefined;
  readonly lendingLimit: ResourceFigures | undefined;
}

export interface ResourceFigures {
  readonly gpus: number;
  readonly cpus: number;
  readonly memoryGiB: number;
}

/** A tenant's Kueue queues in one cluster: a ClusterQueue in the cluster's Cohort, a LocalQueue in its namespace. */
export interface TenantQueuePlan {
  readonly clusterQueue: string;
  readonly localQueue: string;
  readonly cohort: string;
  /** One entry per pool of the cluster, GPUs split in proportion to the pools' GPUs; sums to gpuQuota. */
  readonly flavors: readonly FlavorQuotaPlan[];
  readonly borrowingLimitGpus: number | undefined;
  readonly lendingLimitGpus: number | undefined;
  readonly fairSharingWeight: number | undefined;
  readonly preemption: TenantQueueSpec["preemption"];
}

export interface TenantPlan {
  readonly id: string;
  readonly namespace: string;
  /** Physical GPUs' worth the tenant may use in this cluster. */
  readonly gpuQuota: number;
  /**
   * The ResourceQuota of each GPU resource the cluster advertises: the tenant's share of that
   * resource's units (gpuQuota / cluster GPUs, or gpuShare), so sharing replicas scale it, plus,
   * with Kueue, what the tenant may borrow in those units (Kueue enforces the quota itself).
   */
  readonly gpuResourceQuotas: Readonly<Record<string, number>>;
  /** The tenant's pods may use RDMA (IPC_LOCK and the rail resources, nothing more). */
  readonly rdma: boolean;
  /**
   * GPUs the namespace's pods may request at once (its ResourceQuota): the quota plus what Kueue may
   * let it borrow, at most the cluster's GPUs; the quota alone without Kueue.
   */
  readonly gpuRequestCeiling: number;
  readonly datasetVolumeTiB: number | undefined;
  readonly checkpointVolumeTiB: number | undefined;
  readonly storageQuotaTiB: number | undefined;
  /** The building of this cluster whose filesystem holds the tenant's volumes: its first listed one here. */
  readonly homeBuildingId: string;
  readonly queue: TenantQueuePlan;
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
  /** Units each GPU resource name is advertised in, over the cluster's nodes (physical × replicas). */
  readonly gpuUnits: Readonly<Record<string, number>>;
  readonly scalableUnits: number;
  readonly nvlinkDomains: number;
  readonly itPowerMW: number;
  /** Pod budget: nodes × kubelet max-pods. */
  readonly maxPods: number;
  readonly kubeconfig: { readonly path: string; readonly context: string | undefined };
  readonly tenants: readonly TenantPlan[];
  /** GPUs (and their cpu, memory) of each pool no tenant holds: the Kueue Cohort's own quota, borrowable. */
  readonly sharedQuota: readonly FlavorQuotaPlan[];
  /** Every pool of the cluster is simulated (kind): no device plugin, GPUs from the node registration. */
  readonly simulated: boolean;
  /** Compute-fabric rails on the cluster's nodes: the most compute NICs any pool's node has. */
  readonly rails: number;
  /** This cluster's position among the clusters that share a building (and so a fabric) with it. */
  readonly fabricIndex: number;
}

/** How pods attach to the compute rails (Multus): the CNI behind each rail and the fabric's transport. */
export interface RailNetworkPlan {
  readonly cni: Environment["fabric"]["railCni"];
  readonly transport: Environment["fabric"]["compute"]["transport"];
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
  readonly networkPowerMW: number;
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
  /** Kubernetes minor version every cluster runs ("1.33"): pins Pod Security labels. */
  readonly kubernetesVersion: string;
  /** What the clusters have installed: Kueue and Multus objects need their CRDs at plan time. */
  readonly addons: Environment["addons"];
  /** Where each cluster stack keeps its state. */
  readonly backend: Environment["backend"];
  readonly railNetwork: RailNetworkPlan;
  /** Tenant GPU quotas in a cluster may exceed its GPUs (clusters.allowQuotaOvercommit). */
  readonly allowQuotaOvercommit: boolean;
  /** Every pool of the campus is simulated: the environment is a kind lab. */
  readonly simulated: boolean;
  readonly buildings: readonly BuildingPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly totals: CampusTotals;
}
