import type { CampusPlan } from "../plan/plan-types.js";

/** One decimal for campus-scale figures, three for the kilowatt-scale kind lab. */
const megawatts = (mw: number) => mw.toFixed(mw < 1 ? 3 : 1);

/** The table printed at the end of synth: one line per environment. */
export function synthSummaryTable(plans: readonly CampusPlan[]): string {
  const header = ["environment", "buildings", "clusters", "GPUs", "nodes", "racks", "IT MW", "facility MW", "switches"];
  const rows = plans.map((p) => [
    p.environment,
    String(p.totals.buildings),
    String(p.totals.clusters),
    p.totals.gpus.toLocaleString("en-US"),
    p.totals.nodes.toLocaleString("en-US"),
    p.totals.racks.toLocaleString("en-US"),
    megawatts(p.totals.itPowerMW),
    megawatts(p.totals.facilityPowerMW),
    p.totals.switches.toLocaleString("en-US"),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
