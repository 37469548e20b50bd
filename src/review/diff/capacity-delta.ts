import { numberAt } from "../../plan/capacity-schema.js";
import type { BuildingDelta, BuildingFloor, CapacityDelta, MetricDelta } from "../model.js";
import { unitMoves } from "./unit-moves.js";
import { isRecord } from "./values.js";

/**
 * What a change does to the campus: the before/after of each environment's capacity.json, for
 * the totals and per building. Read loosely (numberAt) so an older capacity.json still compares.
 */

interface MetricSpec {
  readonly key: string;
  readonly label: string;
  readonly unit?: string;
  readonly digits: number;
}

const TOTALS: readonly MetricSpec[] = [
  { key: "totals.buildings", label: "buildings", digits: 0 },
  { key: "totals.clusters", label: "clusters", digits: 0 },
  { key: "totals.gpus", label: "GPUs", digits: 0 },
  { key: "totals.nodes", label: "nodes", digits: 0 },
  { key: "totals.racks", label: "racks", digits: 0 },
  { key: "totals.scalableUnits", label: "scalable units", digits: 0 },
  { key: "totals.nvlinkDomains", label: "NVLink domains", digits: 0 },
  { key: "totals.itPowerMW", label: "IT power", unit: "MW", digits: 1 },
  { key: "totals.facilityPowerMW", label: "facility power", unit: "MW", digits: 1 },
  { key: "totals.switches", label: "switches", digits: 0 },
  { key: "totals.storageCapacityTiB", label: "storage", unit: "TiB", digits: 0 },
  { key: "totals.storageReadGBps", label: "storage read", unit: "GB/s", digits: 0 },
];

const BUILDING: readonly MetricSpec[] = [
  { key: "gpus", label: "GPUs", digits: 0 },
  { key: "nodes", label: "nodes", digits: 0 },
  { key: "racks", label: "racks", digits: 0 },
  { key: "scalableUnits", label: "scalable units", digits: 0 },
  { key: "itPowerMW", label: "IT power", unit: "MW", digits: 1 },
  { key: "facilityPowerMW", label: "facility power", unit: "MW", digits: 1 },
  { key: "fabric.switches", label: "switches", digits: 0 },
  { key: "storage.capacityTiB", label: "storage", unit: "TiB", digits: 0 },
];

/** Small figures (the kind campus has 0.02 MW) get more decimals so a change stays visible. */
function metric(spec: MetricSpec, before: unknown, after: unknown): MetricDelta {
  const b = numberAt(before, spec.key);
  const a = numberAt(after, spec.key);
  const largest = Math.max(Math.abs(b ?? 0), Math.abs(a ?? 0));
  const digits = spec.digits > 0 && largest > 0 && largest < 1 ? 3 : spec.digits;
  return { key: spec.key, label: spec.label, before: b, after: a, digits, ...(spec.unit ? { unit: spec.unit } : {}) };
}

export function metricChanged(m: MetricDelta): boolean {
  return m.before !== m.after;
}

function buildingsOf(capacity: unknown): Map<string, unknown> {
  const list = isRecord(capacity) && Array.isArray(capacity.buildings) ? capacity.buildings : [];
  return new Map(list.filter(isRecord).map((b) => [String(b.id), b]));
}

export function buildingDeltas(before: unknown, after: unknown): BuildingDelta[] {
  const old = buildingsOf(before);
  const now = buildingsOf(after);
  const ids = [...new Set([...old.keys(), ...now.keys()])];
  const out: BuildingDelta[] = [];
  for (const id of ids) {
    const metrics = BUILDING.map((spec) => metric(spec, old.get(id), now.get(id)));
    const status = !old.has(id) ? "added" : !now.has(id) ? "removed" : "changed";
    if (status !== "changed" || metrics.some(metricChanged)) out.push({ id, status, metrics });
  }
  return out;
}

/** Every building of the after side (and the removed ones), in the after side's order. */
export function campusFloor(before: unknown, after: unknown, changed: readonly BuildingDelta[]): BuildingFloor[] {
  const old = buildingsOf(before);
  const now = buildingsOf(after);
  const ids = [...new Set([...now.keys(), ...old.keys()])];
  return ids.map((id) => {
    const current = now.get(id) ?? old.get(id);
    const status = !old.has(id)
      ? "added"
      : !now.has(id)
        ? "removed"
        : changed.some((b) => b.id === id)
          ? "changed"
          : "unchanged";
    return {
      id,
      status,
      racksBefore: numberAt(old.get(id), "racks"),
      racks: numberAt(current, "racks") ?? 0,
      rackPositions: numberAt(current, "rackPositions"),
      gpus: numberAt(current, "gpus") ?? 0,
      itPowerMW: numberAt(current, "itPowerMW") ?? 0,
      itPowerBudgetMW: numberAt(current, "itPowerBudgetMW"),
    };
  });
}

/** The capacity delta of one environment; `before`/`after` are capacity.json values or undefined. */
export function capacityDelta(
  environment: string,
  before: unknown,
  after: unknown,
  stacks: { readonly added: readonly string[]; readonly removed: readonly string[] } = { added: [], removed: [] },
): CapacityDelta {
  const metrics = TOTALS.map((spec) => metric(spec, before, after));
  const buildings = buildingDeltas(before, after);
  const moved = unitMoves(before, after);
  const status =
    before === undefined
      ? "added"
      : after === undefined
        ? "removed"
        : metrics.some(metricChanged) || buildings.length > 0 || moved.moves.length > 0
          ? "changed"
          : "unchanged";
  return {
    environment,
    status,
    metrics,
    buildings,
    stacksAdded: stacks.added,
    stacksRemoved: stacks.removed,
    floor: campusFloor(before, after, buildings),
    ...(moved.moves.length > 0 ? { unitMoves: moved } : {}),
  };
}
