import type { BuildingFloor } from "../model.js";
import { formatNumber } from "./format.js";

/**
 * The campus as a picture a PR comment can show inline: GitHub renders neither SVG attachments
 * from an artifact nor data: URIs in comments, but it renders a Markdown table of Unicode bars.
 * One row per building: its rack positions as a bar (filled = racks installed, ▲ = added by this
 * change, ▽ = removed by it), then GPUs and IT power against its budget. The SVG pictures stay in
 * the workflow's artifact for a closer look.
 */

const BAR_CELLS = 20;

function bar(b: BuildingFloor): string {
  const positions = b.rackPositions ?? Math.max(b.racks, b.racksBefore ?? 0, 1);
  const cells = (racks: number) => Math.round((Math.min(racks, positions) / positions) * BAR_CELLS);
  if (b.status === "removed") return "▽".repeat(cells(b.racks)) + "·".repeat(BAR_CELLS - cells(b.racks));
  const before = b.status === "added" ? 0 : cells(b.racksBefore ?? b.racks);
  const after = cells(b.racks);
  const kept = Math.min(before, after);
  const added = Math.max(0, after - before);
  const removed = Math.max(0, before - after);
  return `${"█".repeat(kept)}${"▲".repeat(added)}${"▽".repeat(removed)}${"·".repeat(BAR_CELLS - kept - added - removed)}`;
}

const STATUS: Readonly<Record<BuildingFloor["status"], string>> = {
  added: "**new**",
  removed: "~~removed~~",
  changed: "changed",
  unchanged: "",
};

export function campusFloorTable(environment: string, floor: readonly BuildingFloor[]): string {
  if (floor.length === 0) return "";
  const rows = floor.map((b) => {
    const racks =
      b.racksBefore !== undefined && b.racksBefore !== b.racks && b.status !== "removed"
        ? `${b.racksBefore} → ${b.racks}`
        : String(b.racks);
    const positions = b.rackPositions !== undefined ? ` / ${b.rackPositions}` : "";
    const budget = b.itPowerBudgetMW !== undefined ? ` / ${formatNumber(b.itPowerBudgetMW, 1)}` : "";
    return `| ${b.id} | ${STATUS[b.status]} | <code>${bar(b)}</code> | ${racks}${positions} | ${formatNumber(b.gpus)} | ${formatNumber(b.itPowerMW, 1)}${budget} |`;
  });
  return [
    `**${environment} campus** (█ racks · ▲ added · ▽ removed · · free positions)`,
    "",
    "| building | | rack positions | racks | GPUs | IT MW / budget |",
    "|---|---|---|--:|--:|--:|",
    ...rows,
  ].join("\n");
}
