import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { campusCapacity } from "../plan/capacity.js";
import { clusterNodes } from "../plan/node-identity.js";
import type { CampusPlan } from "../plan/plan-types.js";
import { kindClusterName, kindConfigYaml } from "./kind-config.js";
import { writeNodeRegistration } from "./node-registration.js";

/**
 * Writes an environment's artifacts under `<outdir>/environments/<env>/`: capacity.json, the node
 * registration of each cluster and, for a simulated campus of one cluster (a kind lab), kind's config.
 */
export function writeEnvironmentArtifacts(outdir: string, plan: CampusPlan): void {
  const dir = join(outdir, "environments", plan.environment);
  mkdirSync(join(dir, "nodes"), { recursive: true });
  writeFileSync(join(dir, "capacity.json"), `${JSON.stringify(campusCapacity(plan), null, 2)}\n`);
  for (const cluster of plan.clusters) {
    writeNodeRegistration(join(dir, "nodes", `${cluster.id}.jsonl`), plan, cluster);
  }
  const [onlyCluster] = plan.clusters;
  if (plan.simulated && plan.clusters.length === 1 && onlyCluster) {
    const name = kindClusterName(onlyCluster.kubeconfig.context ?? plan.environment);
    writeFileSync(
      join(dir, "kind-config.yaml"),
      kindConfigYaml(name, [...clusterNodes(plan, onlyCluster)], plan.kubernetesVersion),
    );
  }
}
