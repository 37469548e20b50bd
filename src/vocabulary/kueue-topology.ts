import { GFD_LABEL, LABEL } from "./labels.js";

/**
 * Kueue's rules for the levels of a Topology, as one pure function: the Topology construct
 * validates the levels it writes with it, and policy rule GPC-021 judges any Topology in a stack
 * with it. Sources: kubernetes-sigs/kueue site/content/en/docs/concepts/topology.md ("Validation
 * rules": 1–16 levels, unique node labels, kubernetes.io/hostname only as the lowest level) and
 * the apis' `+kubebuilder:validation:MaxItems=16`.
 */
export const MAX_TOPOLOGY_LEVELS = 16;

/**
 * How wide each campus node label's domain is, widest first: a level must never be wider than the
 * one before it. Equal ranks describe the same domain (a GB200 rack is its NVLink domain, which GPU
 * feature discovery calls a clique).
 */
const NESTING_RANK: ReadonlyMap<string, number> = new Map([
  [LABEL.region, 0],
  [LABEL.campus, 1],
  [LABEL.zone, 2],
  [LABEL.building, 2],
  [LABEL.pool, 3],
  [LABEL.scalableUnit, 4],
  [LABEL.rack, 5],
  [LABEL.nvlinkDomain, 6],
  [GFD_LABEL.clique, 6],
  [LABEL.hostname, 7],
]);

/** What is wrong with a list of Topology levels (node label keys, outermost first); empty when nothing is. */
export function topologyLevelProblems(levels: readonly string[]): string[] {
  const problems: string[] = [];
  if (levels.length === 0 || levels.length > MAX_TOPOLOGY_LEVELS) {
    problems.push(`has ${levels.length} levels; Kueue takes 1 to ${MAX_TOPOLOGY_LEVELS}`);
  }
  const seen = new Set<string>();
  let widest = -1;
  let previous = "";
  levels.forEach((label, index) => {
    const position = `level ${index + 1} (${label || "empty"})`;
    if (seen.has(label)) problems.push(`${position} repeats a node label`);
    seen.add(label);
    if (label === LABEL.hostname && index !== levels.length - 1) {
      problems.push(`${position}: ${LABEL.hostname} may only be the last level`);
    }
    const rank = NESTING_RANK.get(label);
    if (rank === undefined) {
      problems.push(`${position} is not a node label the campus sets (known: ${[...NESTING_RANK.keys()].join(", ")})`);
      return;
    }
    if (rank < widest)
      problems.push(`${position} is wider than the level before it (${previous}): levels go widest first`);
    widest = Math.max(widest, rank);
    previous = label;
  });
  return problems;
}
