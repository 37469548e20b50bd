import { closeSync, openSync, writeSync } from "node:fs";
import { clusterNodes, type NodeRecord } from "../plan/node-identity.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { formatTaint } from "../vocabulary/labels.js";

/**
 * Writes a cluster's node registration (one JSON object a line) without holding all records in
 * memory: production writes ~100,000 of them on every synth.
 */
export function writeNodeRegistration(path: string, plan: CampusPlan, cluster: ClusterPlan): number {
  const fd = openSync(path, "w");
  let count = 0;
  let buffer = "";
  try {
    for (const node of clusterNodes(plan, cluster)) {
      buffer += `${JSON.stringify(node)}\n`;
      count++;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = "";
      }
    }
    if (buffer.length > 0) writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  return count;
}

/** The kubelet flags provisioning passes for one node record. */
export function kubeletRegistrationFlags(node: NodeRecord): string[] {
  const labels = Object.entries(node.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  return [
    `--hostname-override=${node.name}`,
    `--node-labels=${labels}`,
    `--register-with-taints=${node.taints.map(formatTaint).join(",")}`,
  ];
}
