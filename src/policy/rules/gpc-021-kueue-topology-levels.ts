import { blocks, field, kindOf, manifestOf, specOf, str } from "../../terraform-json/kubernetes-object.js";
import { MAX_TOPOLOGY_LEVELS as MAX_LEVELS, topologyLevelProblems } from "../../vocabulary/kueue-topology.js";
import { LABEL } from "../../vocabulary/labels.js";
import { NOT_APPLICABLE, type ResourceRule, verdict } from "../policy-rule.js";

export const kueueTopologyLevels: ResourceRule = {
  id: "GPC-021",
  name: "kueue-topology-levels",
  scope: "resource",
  level: "error",
  description: `Kueue Topology levels: 1–${MAX_LEVELS}, unique, campus node labels ordered widest to narrowest, ${LABEL.hostname} only last.`,
  why: "Topology-aware scheduling packs a job into the narrowest level that fits; a level out of order packs NVLink jobs across racks.",
  fix: "Generate the levels from TOPOLOGY_LEVELS in src/vocabulary/labels.ts (building, scalable unit, NVLink domain, hostname).",
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
    return verdict(topologyLevelProblems(levels));
  },
};
