import type { CapacityFile } from "../../plan/capacity-schema.js";
import { formatNumber, formatPower } from "./format.js";

/**
 * The capacity report of one environment in Markdown: the campus picture, totals, buildings,
 * clusters and the power headroom, all from capacity.json (the same figures the picture shows).
 */

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : "—";
}

const designName: Record<string, string> = {
  "rails-joined": "rail-optimized (rails joined at the spine)",
  "per-rail": "multi-plane, one plane per NIC rail",
  "fan-out": "multi-plane, every NIC port fanned out over the planes",
};

/** Per building: design, switches per tier, cabling and optics per tier, power, growth headroom. */
function fabricSection(capacity: CapacityFile): string[] {
  const rows = capacity.buildings.flatMap((b) => {
    const f = b.fabric;
    if (!f?.cabling || !f.transceivers) return [];
    const design = designName[f.planeAssignment ?? ""] ?? f.design ?? "";
    const tiers = `${formatNumber(f.leavesPerPlane)} / ${formatNumber(f.spinesPerPlane)} / ${formatNumber(f.coresPerPlane)}`;
    const optics = (tier: { host: number; switch: number }) => formatNumber(tier.host + tier.switch);
    const kW = `${formatNumber(f.switchPowerKW ?? 0)} + ${formatNumber(f.opticsPowerKW ?? 0)}`;
    const growth = f.growth
      ? `${formatNumber(f.growth.maxHostsPerPlane)} hosts/plane at ${f.tiers} tiers (floor ${formatNumber(f.growth.floorHostsPerPlane)}); ${formatNumber(f.growth.leavesBeforeNewSpine)} leaves before a new spine`
      : "—";
    return [
      `| ${b.id} | ${design} | ${f.planes} × ${f.tiers}-tier | ${tiers} | ${formatNumber(f.cabling.nodeLeaf)} / ${formatNumber(f.cabling.leafSpine)} / ${formatNumber(f.cabling.spineCore)} | ${optics(f.transceivers.nodeLeaf)} / ${optics(f.transceivers.leafSpine)} / ${optics(f.transceivers.spineCore)} | ${kW} | ${growth} |`,
    ];
  });
  if (rows.length === 0) return [];
  return [
    "## Compute fabric",
    "",
    "Per building: leaf / spine / core switches on the busiest plane; links (cables) and transceivers per tier, node–leaf / leaf–spine / spine–core, over all planes; switch + optics power. Switch chassis power is a planning figure (src/catalog/switches.ts).",
    "",
    "| building | design | planes × tiers | leaf / spine / core per plane | links per tier | transceivers per tier | kW switches + optics | growth headroom |",
    "|---|---|---|--:|--:|--:|--:|---|",
    ...rows,
    "",
  ];
}

export interface CapacityReportOptions {
  /** Path of the campus picture relative to the report, embedded at the top. @default - no picture */
  readonly picture?: string;
}

export function capacityReport(capacity: CapacityFile, options: CapacityReportOptions = {}): string {
  const t = capacity.totals;
  const budget = capacity.buildings.reduce((sum, b) => sum + b.itPowerBudgetMW, 0);
  const grid = capacity.gridPowerMW;
  const lines: string[] = [
    `# Capacity report: ${capacity.environment}`,
    "",
    `Campus **${capacity.campus}** (${capacity.region}) · PUE ${capacity.pue}${grid !== null ? ` · grid ${formatPower(grid)}` : ""}`,
    "",
  ];
  if (options.picture) lines.push(`![campus ${capacity.environment}](${options.picture})`, "");
  lines.push(
    "## Totals",
    "",
    "| | |",
    "|---|--:|",
    `| buildings | ${formatNumber(t.buildings)} |`,
    `| clusters | ${formatNumber(t.clusters)} |`,
    `| GPUs | ${formatNumber(t.gpus)} |`,
    `| nodes | ${formatNumber(t.nodes)} |`,
    `| racks | ${formatNumber(t.racks)} |`,
    `| scalable units | ${formatNumber(t.scalableUnits)} |`,
    `| NVLink domains | ${formatNumber(t.nvlinkDomains)} |`,
    `| IT power | ${formatPower(t.itPowerMW)} |`,
    `| facility power | ${formatPower(t.facilityPowerMW)} |`,
    `| switches | ${formatNumber(t.switches)} |`,
    `| storage | ${formatNumber(t.storageCapacityTiB, t.storageCapacityTiB < 10 ? 2 : 0)} TiB |`,
    `| storage read | ${formatNumber(t.storageReadGBps)} GB/s |`,
    "",
    "## Power",
    "",
    `- IT power ${formatPower(t.itPowerMW)} of ${formatPower(budget)} the buildings' plants deliver (${percent(t.itPowerMW, budget)}).`,
    grid !== null
      ? `- Facility power ${formatPower(t.facilityPowerMW)} (IT × PUE ${capacity.pue}) of the ${formatPower(grid)} grid contract (${percent(t.facilityPowerMW, grid)}).`
      : `- Facility power ${formatPower(t.facilityPowerMW)} (IT × PUE ${capacity.pue}); no grid contract is set.`,
    "",
    ...(t.networkPowerMW !== undefined
      ? [
          `- The compute fabric draws ${formatPower(t.networkPowerMW)} of the IT power (switch chassis and transceivers). Each scalable unit is budgeted at the larger of its racks plus its fabric share and its SKU's published scalable-unit TDP.`,
          "",
        ]
      : []),
    "## Buildings",
    "",
    "| building | phase | GPUs | nodes | racks / positions | SUs | IT power / budget | facility | fabric | switches | storage TiB |",
    "|---|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|",
    ...capacity.buildings.map((b) => {
      const fabric = b.fabric
        ? `${b.fabric.tiers}-tier ${b.fabric.transport} ${b.fabric.linkGbps}G × ${b.fabric.planes} (${b.fabric.switch})`
        : "none";
      return `| ${b.id} | ${b.phase ?? ""} | ${formatNumber(b.gpus)} | ${formatNumber(b.nodes)} | ${formatNumber(b.racks)} / ${formatNumber(b.rackPositions)} | ${formatNumber(b.scalableUnits)} | ${formatPower(b.itPowerMW)} / ${formatPower(b.itPowerBudgetMW)} | ${formatPower(b.facilityPowerMW)} | ${fabric} | ${formatNumber(b.fabric?.switches ?? 0)} | ${formatNumber(b.storage.capacityTiB, b.storage.capacityTiB < 10 ? 2 : 0)} |`;
    }),
    "",
    ...fabricSection(capacity),
    "## Clusters",
    "",
    "| cluster | stack | GPUs | nodes | racks | SUs | IT power | holds | tenants (GPU quota) |",
    "|---|---|--:|--:|--:|--:|--:|---|---|",
    ...capacity.clusters.map((c) => {
      const holds = c.buildings
        .map((slice) => slice.pools.map((p) => `${slice.id}/${p.id}: ${p.scalableUnits.length} SUs`).join(", "))
        .join("; ");
      const tenants = (c.tenants ?? []).map((tenant) => `${tenant.id} ${formatNumber(tenant.gpuQuota)}`).join(", ");
      return `| ${c.id} | \`${c.stack}\` | ${formatNumber(c.gpus)} | ${formatNumber(c.nodes)} | ${formatNumber(c.racks)} | ${formatNumber(c.scalableUnits)} | ${c.itPowerMW !== undefined ? formatPower(c.itPowerMW) : "—"} | ${holds} | ${tenants} |`;
    }),
    "",
    "<sub>Generated by `npm run report` from capacity.json.</sub>",
    "",
  );
  return lines.join("\n");
}
