import type { GpuSku } from "../catalog/gpu-skus.js";
import type { PoolSpec } from "./schema.js";

/**
 * A pool's size in racks, from whichever of racks / nodes / gpus the file gives. Nodes and
 * GPUs must be whole racks (an NVL72 rack is one NVLink domain: a partial rack is not a thing
 * that can be bought or scheduled).
 */
export type PoolRacks =
  | { readonly ok: true; readonly racks: number }
  | { readonly ok: false; readonly field: "nodes" | "gpus"; readonly value: number; readonly perRack: number };

export function poolRacks(pool: PoolSpec, sku: GpuSku): PoolRacks {
  if (pool.racks !== undefined) return { ok: true, racks: pool.racks };
  if (pool.nodes !== undefined) {
    return pool.nodes % sku.nodesPerRack === 0
      ? { ok: true, racks: pool.nodes / sku.nodesPerRack }
      : { ok: false, field: "nodes", value: pool.nodes, perRack: sku.nodesPerRack };
  }
  const gpus = pool.gpus ?? 0;
  return gpus % sku.gpusPerRack === 0
    ? { ok: true, racks: gpus / sku.gpusPerRack }
    : { ok: false, field: "gpus", value: gpus, perRack: sku.gpusPerRack };
}
