import { closeSync, fsyncSync, openSync } from "node:fs";
import { clusterNodes, type NodeRecord } from "../plan/node-identity.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { formatTaint } from "../vocabulary/labels.js";
import { writeAll } from "./output-directory.js";

/**
 * Writes a cluster's node registration (one JSON object a line) without holding all records in
 * memory: production writes ~100,000 of them on every synth. Every byte is written or the synth
 * fails: writeSync may write less than asked on a nearly full disk without an error, and fsync
 * surfaces a deferred ENOSPC or EIO before the output is promoted.
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
        writeAll(fd, Buffer.from(buffer));
        buffer = "";
      }
    }
    if (buffer.length > 0) writeAll(fd, Buffer.from(buffer));
    fsyncSync(fd);
  } catch (error) {
    throw new Error(`cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
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
