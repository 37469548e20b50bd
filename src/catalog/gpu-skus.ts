import { NIC, type NicModel } from "./nics.js";

/**
 * GPU system SKUs: the hardware facts the plan multiplies. Every figure cites its source.
 * A "node" is what registers with Kubernetes as one kubelet: a GB200 compute tray, a whole HGX box.
 */

export type CpuArchitecture = "arm64" | "amd64";

export interface GpuSku {
  readonly id: string;
  readonly displayName: string;
  /** GPUs in one rack (the unit that is bought, powered and cabled as one). */
  readonly gpusPerRack: number;
  /** Kubernetes nodes in one rack (compute trays, or HGX systems). */
  readonly nodesPerRack: number;
  readonly gpusPerNode: number;
  /** GPUs that share one NVLink domain (one ComputeDomain / IMEX domain at most). */
  readonly nvlinkDomainGpus: number;
  /** Racks in one scalable unit: the block that is never split across clusters. */
  readonly racksPerScalableUnit: number;
  /** Power drawn by one rack at full load, kW. */
  readonly rackPowerKW: number;
  readonly gpuMemoryGB: number;
  /** Compute-fabric NICs per node: one per GPU, rail aligned (NIC i of every node is rail i). */
  readonly computeNicsPerNode: number;
  /** The compute NIC: its link modes decide which switches it can link to (src/catalog/links.ts). */
  readonly computeNic: NicModel;
  /**
   * Published facility power (TDP) of one whole scalable unit, networking included, kW, when a
   * reference architecture gives one. The plan budgets a unit at the larger of this and its own
   * bottom-up figure (racks + its share of the compute fabric).
   * @default - no published figure: the bottom-up figure alone
   */
  readonly scalableUnitTdpKW?: number;
  readonly scalableUnitTdpSource?: string;
  readonly cpuArchitecture: CpuArchitecture;
  /** Allocatable resources the node advertises besides GPUs. */
  readonly nodeCpuCores: number;
  readonly nodeMemoryGiB: number;
  /** True for the kind SKU: no device plugin, GPUs are advertised as fake extended resources. */
  readonly simulated: boolean;
}

/**
 * GB200 NVL72: 72 GPUs, 18 compute trays of 2 Grace + 4 B200 each, 9 NVLink switch trays,
 * one NVLink domain of 72 GPUs. Sources: NVIDIA DGX GB200 user guide (hardware overview);
 * rack power ~120–132 kW (8 power shelves × 33 kW), ServeTheHome and NVIDIA BCM docs: the upper
 * figure is planned so the budget holds at full load. 186 GB HBM3e per GPU (MLPerf, Crusoe entry).
 * Tray NICs: 4 × ConnectX-7 400G, one per GPU (DGX GB200 user guide). Grace: 72 Arm Neoverse V2
 * cores and up to 480 GB LPDDR5X per CPU (NVIDIA Grace CPU datasheet).
 */
const GB200_NVL72: GpuSku = {
  id: "gb200-nvl72",
  displayName: "NVIDIA GB200 NVL72",
  gpusPerRack: 72,
  nodesPerRack: 18,
  gpusPerNode: 4,
  nvlinkDomainGpus: 72,
  // DGX SuperPOD GB200 reference architecture: one scalable unit is 8 NVL72 racks = 576 GPUs.
  racksPerScalableUnit: 8,
  rackPowerKW: 132,
  gpuMemoryGB: 186,
  computeNicsPerNode: 4,
  computeNic: NIC.CONNECTX7,
  // "Each SU requires a Thermal Design Power (TDP) of 1.2 Megawatts (MW)." DGX SuperPOD GB200 RA,
  // architecture; its SU row layout holds the 8 compute racks and the networking/management racks.
  scalableUnitTdpKW: 1_200,
  scalableUnitTdpSource:
    "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-gb200/latest/dgx-superpod-architecture.html",
  cpuArchitecture: "arm64",
  nodeCpuCores: 144,
  nodeMemoryGiB: 880,
  simulated: false,
};

/**
 * GB300 NVL72: same rack shape as GB200, 288 GB HBM3e per GPU, 4 × ConnectX-8 800G per tray,
 * up to ~142 kW per rack. Source: NVIDIA GB300 NVL72 AI factory reference architecture (components).
 */
const GB300_NVL72: GpuSku = {
  ...GB200_NVL72,
  id: "gb300-nvl72",
  displayName: "NVIDIA GB300 NVL72",
  rackPowerKW: 142,
  gpuMemoryGB: 288,
  computeNic: NIC.CONNECTX8,
  // No GB300 SuperPOD SU TDP was found: the bottom-up figure alone.
  scalableUnitTdpKW: undefined,
  scalableUnitTdpSource: undefined,
};

/**
 * HGX / DGX B200: 8 GPUs per amd64 node, NVLink domain = the node, 8 × ConnectX-7 400G,
 * 14.3 kW per system, 180 GB per GPU. Source: NVIDIA DGX B200 user guide. Four systems per rack
 * (air cooled, ~57 kW) as in the DGX SuperPOD B200 RA; a scalable unit there is 32 systems = 8 racks.
 */
const HGX_B200: GpuSku = {
  id: "hgx-b200",
  displayName: "NVIDIA HGX B200",
  gpusPerRack: 32,
  nodesPerRack: 4,
  gpusPerNode: 8,
  nvlinkDomainGpus: 8,
  racksPerScalableUnit: 8,
  rackPowerKW: 4 * 14.3,
  gpuMemoryGB: 180,
  computeNicsPerNode: 8,
  computeNic: NIC.CONNECTX7,
  cpuArchitecture: "amd64",
  nodeCpuCores: 112,
  nodeMemoryGiB: 2048,
  simulated: false,
};

/**
 * A rack for kind: two kubelets of four fake GPUs each, shaped like GB200 trays (labels, taints,
 * rails) so workloads schedule the same way, at laptop scale. Power is nominal so budgets stay
 * meaningful in tests.
 */
const SIMULATED_GB200: GpuSku = {
  id: "sim-gb200",
  displayName: "Simulated GB200 (kind)",
  gpusPerRack: 8,
  nodesPerRack: 2,
  gpusPerNode: 4,
  nvlinkDomainGpus: 8,
  racksPerScalableUnit: 1,
  rackPowerKW: 1,
  gpuMemoryGB: 186,
  computeNicsPerNode: 4,
  computeNic: NIC.CONNECTX7,
  cpuArchitecture: "amd64",
  nodeCpuCores: 4,
  nodeMemoryGiB: 8,
  simulated: true,
};

/**
 * DGX B300: 8 GPUs and 8 × ConnectX-8 per node, four systems a rack at "~56kW" (DGX SuperPOD B300
 * Quantum-X800 RA, architecture, https://docs.nvidia.com/dgx-superpod/reference-architecture/scalable-infrastructure-b300-xdr/latest/dgx-superpod-architecture.html);
 * a scalable unit of 72 systems = 18 racks there. 14.5 kW a system (thedailyscout summary of NVIDIA's
 * DGX data-centre guide; secondary) × 4 = 58 kW, within 4 % of the RA's rack figure, which is used.
 * 270 GB HBM3e per GPU (DGX B300 datasheet: 2.3 TB for 8 GPUs).
 */
const DGX_B300: GpuSku = {
  id: "dgx-b300",
  displayName: "NVIDIA DGX B300",
  gpusPerRack: 32,
  nodesPerRack: 4,
  gpusPerNode: 8,
  nvlinkDomainGpus: 8,
  racksPerScalableUnit: 18,
  rackPowerKW: 56,
  gpuMemoryGB: 270,
  computeNicsPerNode: 8,
  computeNic: NIC.CONNECTX8,
  cpuArchitecture: "amd64",
  nodeCpuCores: 112,
  nodeMemoryGiB: 2048,
  simulated: false,
};

export const GPU_SKUS: ReadonlyMap<string, GpuSku> = new Map(
  [GB200_NVL72, GB300_NVL72, HGX_B200, DGX_B300, SIMULATED_GB200].map((sku) => [sku.id, sku]),
);

export function gpuSkuIds(): string[] {
  return [...GPU_SKUS.keys()];
}
