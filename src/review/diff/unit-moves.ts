import { isRecord } from "./values.js";

/**
 * Scalable units that a change moves from one cluster to another, read from two capacity.json
 * values (clusters[].buildings[].pools[].scalableUnits). Every node of a moved unit has to leave one
 * control plane and register with another, so the review says so loudly, with the count.
 */

export interface UnitMove {
  readonly unit: string;
  readonly from: string;
  readonly to: string;
  readonly nodes: number;
}

export interface UnitMoves {
  readonly nodes: number;
  readonly moves: readonly UnitMove[];
}

interface Placement {
  readonly cluster: string;
  readonly nodes: number;
}

const list = (value: unknown, key: string): Record<string, unknown>[] =>
  isRecord(value) && Array.isArray(value[key]) ? (value[key] as unknown[]).filter(isRecord) : [];

/** Where each unit lives, and its nodes (the pool's nodes shared evenly when units are not sized). */
function placements(capacity: unknown): Map<string, Placement> {
  const out = new Map<string, Placement>();
  for (const cluster of list(capacity, "clusters")) {
    for (const building of list(cluster, "buildings")) {
      for (const pool of list(building, "pools")) {
        const units = Array.isArray(pool.scalableUnits) ? pool.scalableUnits.map(String) : [];
        const nodes = typeof pool.nodes === "number" ? pool.nodes : 0;
        for (const unit of units) out.set(unit, { cluster: String(cluster.id), nodes: nodes / units.length });
      }
    }
  }
  return out;
}

export function unitMoves(before: unknown, after: unknown): UnitMoves {
  const old = placements(before);
  const now = placements(after);
  const moves: UnitMove[] = [];
  for (const [unit, placed] of now) {
    const was = old.get(unit);
    if (was && was.cluster !== placed.cluster)
      moves.push({ unit, from: was.cluster, to: placed.cluster, nodes: Math.round(placed.nodes) });
  }
  return { nodes: moves.reduce((sum, m) => sum + m.nodes, 0), moves };
}

/** The loud line: how many nodes move, and which units from where to where (the first few). */
export function unitMovesText(moved: UnitMoves, shown = 4): string {
  const units = moved.moves.length;
  const list = moved.moves
    .slice(0, shown)
    .map((m) => `${m.unit} ${m.from}→${m.to}`)
    .join(", ");
  const more = units > shown ? `, +${units - shown} more` : "";
  return (
    `⚠ ${moved.nodes.toLocaleString("en-US")} NODES MOVE TO ANOTHER CLUSTER (${units} scalable unit${units === 1 ? "" : "s"}: ${list}${more}): ` +
    "each moved node must drain and re-register with its new cluster"
  );
}
