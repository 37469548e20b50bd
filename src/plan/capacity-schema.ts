import { z } from "zod";

/**
 * capacity.json: the one schema its writer (capacity.ts, which is typed by it) and its readers (the
 * review tools) share. Readers parse rather than assume because a diff reads the output of another
 * commit, whose capacity.json may be older: fields added later are optional here, and a field that
 * is missing is reported, never guessed.
 */

const Count = z.number().nonnegative();

const Fabric = z.object({
  switch: z.string(),
  transport: z.string(),
  linkGbps: Count,
  radix: Count.optional(),
  oversubscription: z.number().optional(),
  planes: Count,
  hostsPerPlane: Count,
  tiers: Count,
  leavesPerPlane: Count,
  spinesPerPlane: Count,
  coresPerPlane: Count,
  switches: Count,
  links: Count.optional(),
  // Since 2026-12 (issue 13): the design, per-tier cabling and optics, power and growth headroom.
  /** `rail-optimized` or `multi-plane` (docs/environments.md: compute fabric designs). */
  design: z.string().optional(),
  /** `rails-joined`, `per-rail` or `fan-out`: how host links map to planes. */
  planeAssignment: z.string().optional(),
  rails: Count.optional(),
  /** Links one switch port breaks out into at the link speed. */
  breakout: Count.optional(),
  linksPerLeafSpinePair: Count.optional(),
  /** Links (cables, as NVIDIA's reference architectures count them) per tier, all planes. */
  cabling: z.object({ nodeLeaf: Count, leafSpine: Count, spineCore: Count }).optional(),
  /** Transceivers per tier, all planes: host side (NIC) and switch side. */
  transceivers: z
    .object({
      nodeLeaf: z.object({ host: Count, switch: Count }),
      leafSpine: z.object({ host: Count, switch: Count }),
      spineCore: z.object({ host: Count, switch: Count }),
    })
    .optional(),
  switchPowerKW: Count.optional(),
  opticsPowerKW: Count.optional(),
  growth: z.object({ floorHostsPerPlane: Count, maxHostsPerPlane: Count, leavesBeforeNewSpine: Count }).optional(),
});

const Building = z.object({
  id: z.string(),
  phase: Count.optional(),
  gpus: Count,
  nodes: Count,
  racks: Count,
  rackPositions: Count,
  scalableUnits: Count,
  nvlinkDomains: Count.optional(),
  itPowerMW: Count,
  itPowerBudgetMW: Count,
  /** GPU racks alone and the compute fabric, MW (since 2026-12); itPowerMW is the units' budgeted sum. */
  rackPowerMW: Count.optional(),
  networkPowerMW: Count.optional(),
  facilityPowerMW: Count,
  pools: z.array(
    z.object({
      id: z.string(),
      sku: z.string(),
      racks: Count,
      nodes: Count,
      gpus: Count,
      /** Racks in one scalable unit of the pool's SKU: what the campus picture groups racks by (since 2026-12). */
      racksPerScalableUnit: Count.optional(),
      /** Nodes per rack, and the power budgeted for one full scalable unit, kW (since 2026-12). */
      nodesPerRack: Count.optional(),
      scalableUnitPowerKW: Count.optional(),
      /** The extended resource the nodes advertise and how many units each (physical × sharing replicas; since 2026-12). */
      gpuResource: z.string().optional(),
      advertisedGpusPerNode: Count.optional(),
    }),
  ),
  fabric: Fabric.nullable(),
  storage: z.object({ capacityTiB: Count, readGBps: Count }),
});

const Cluster = z.object({
  id: z.string(),
  stack: z.string(),
  gpus: Count,
  nodes: Count,
  racks: Count,
  scalableUnits: Count,
  nvlinkDomains: Count.optional(),
  itPowerMW: Count.optional(),
  maxPods: Count.optional(),
  kubeconfigContext: z.string().nullable().optional(),
  /** Units of each GPU resource name the cluster's nodes advertise (since 2026-12). */
  gpuUnits: z.record(z.string(), Count).optional(),
  tenants: z
    .array(z.object({ id: z.string(), gpuQuota: Count, gpuResourceQuotas: z.record(z.string(), Count).optional() }))
    .optional(),
  buildings: z.array(
    z.object({
      id: z.string(),
      pools: z.array(
        z.object({
          id: z.string(),
          sku: z.string(),
          racks: Count,
          nodes: Count.optional(),
          gpus: Count.optional(),
          advertisedGpus: Count.optional(),
          scalableUnits: z.array(z.string()),
        }),
      ),
    }),
  ),
});

export const CapacityFileSchema = z.object({
  environment: z.string(),
  campus: z.string(),
  region: z.string(),
  pue: z.number(),
  gridPowerMW: z.number().nullable(),
  totals: z.object({
    buildings: Count,
    clusters: Count,
    gpus: Count,
    nodes: Count,
    racks: Count,
    scalableUnits: Count,
    nvlinkDomains: Count,
    itPowerMW: Count,
    networkPowerMW: Count.optional(),
    facilityPowerMW: Count,
    switches: Count,
    storageCapacityTiB: Count,
    storageReadGBps: Count,
  }),
  buildings: z.array(Building),
  clusters: z.array(Cluster),
});

export type CapacityFile = z.infer<typeof CapacityFileSchema>;
export type CapacityBuilding = CapacityFile["buildings"][number];
export type CapacityCluster = CapacityFile["clusters"][number];

/** Parses a capacity.json value; the error names the file and the first field that does not fit. */
export function parseCapacityFile(value: unknown, source: string): CapacityFile {
  const result = CapacityFileSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join(".") || "(root)";
  throw new Error(`${source}: ${field}: ${issue?.message ?? "does not match the capacity summary"}`);
}

/** A number at a dotted path of any JSON value, or undefined: for reading older capacity files. */
export function numberAt(value: unknown, path: string): number | undefined {
  let node: unknown = value;
  for (const key of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === "number" ? node : undefined;
}
