import { LABEL } from "../../plan/labels.js";
import { blocks, field, kindOf, manifestOf, specOf, str } from "../kubernetes-object.js";
import { NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";

/** Labels GPU feature discovery sets; the clique is the NVLink domain (NVIDIA/k8s-device-plugin docs/gpu-feature-discovery). */
const GPU_CLIQUE_LABEL = "nvidia.com/gpu.clique";

/**
 * How wide each node label's domain is, widest first: a level must never be wider than the one
 * before it. Equal ranks describe the same domain (a GB200 rack is its NVLink domain). Every key
 * comes from labels.ts, the one place node labels are defined.
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
  [GPU_CLIQUE_LABEL, 6],
  [LABEL.hostname, 7],
]);

/** Kueue's limit on Topology levels (kubernetes-sigs/kueue apis: `+kubebuilder:validation:MaxItems=16`). */
const MAX_LEVELS = 16;

export const kueueTopologyLevels: ResourceRule = {
  id: "GPC-021",
  name: "kueue-topology-levels",
  scope: "resource",
  level: "error",
  description: `Kueue Topology levels: 1–${MAX_LEVELS}, unique, campus node labels ordered widest to narrowest, ${LABEL.hostname} only last.`,
  why: "Topology-aware scheduling packs a job into the narrowest level that fits; a level out of order packs NVLink jobs across racks.",
  fix: "Generate the levels from TOPOLOGY_LEVELS in src/plan/labels.ts (building, scalable unit, NVLink domain, hostname).",
  sources: [
    {
      title: "Kueue: Topology (levels, hostname only as the lowest level)",
      url: "https://kueue.sigs.k8s.io/docs/concepts/topology_aware_scheduling/",
    },
    {
      title: "kubernetes-sigs/kueue site/content/en/docs/concepts/topology.md",
      url: "https://github.com/kubernetes-sigs/kueue/blob/main/site/content/en/docs/concepts/topology.md",
    },
  ],
  evaluate(resource) {
    const manifest = manifestOf(resource);
    const group = str(manifest?.apiVersion)?.split("/")[0];
    if (kindOf(resource) !== "Topology" || group !== "kueue.x-k8s.io") return NOT_APPLICABLE;
    const levels = blocks(specOf(resource)?.levels).map((level) => str(field(level, "nodeLabel", "node_label")) ?? "");
    const reasons: string[] = [];
    if (levels.length === 0 || levels.length > MAX_LEVELS)
      reasons.push(`has ${levels.length} levels; Kueue takes 1 to ${MAX_LEVELS}`);
    const seen = new Set<string>();
    let widest = -1;
    let previous = "";
    levels.forEach((label, index) => {
      const position = `level ${index + 1} (${label || "empty"})`;
      if (seen.has(label)) reasons.push(`${position} repeats a node label`);
      seen.add(label);
      if (label === LABEL.hostname && index !== levels.length - 1)
        reasons.push(`${position}: ${LABEL.hostname} may only be the last level`);
      const rank = NESTING_RANK.get(label);
      if (rank === undefined) {
        reasons.push(`${position} is not a node label the campus sets (known: ${[...NESTING_RANK.keys()].join(", ")})`);
        return;
      }
      if (rank < widest)
        reasons.push(`${position} is wider than the level before it (${previous}): levels go widest first`);
      widest = Math.max(widest, rank);
      previous = label;
    });
    return verdict(reasons);
  },
};
