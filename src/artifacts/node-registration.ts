import { closeSync, fsyncSync, openSync } from "node:fs";
import { type NodeRecord, nodeCapacity, nodeName, nvlinkDomainId, rackId } from "../plan/node-identity.js";
import type { CampusPlan, ClusterPlan } from "../plan/plan-types.js";
import { formatTaint, GPU_TAINT, LABEL } from "../vocabulary/labels.js";
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
    for (const line of nodeRegistrationLines(plan, cluster)) {
      buffer += `${line}\n`;
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

/**
 * The node records of a cluster as JSON lines, exactly `JSON.stringify` of each record that
 * clusterNodes() yields (a test holds the two equal), but built from per-pool prefixes: only the
 * name, scalable unit, rack and NVLink domain change from node to node, and a production synth
 * writes ~100,000 records.
 */
export function* nodeRegistrationLines(plan: CampusPlan, cluster: ClusterPlan): Generator<string> {
  const taints = JSON.stringify([GPU_TAINT]);
  for (const building of cluster.buildings) {
    for (const slice of building.pools) {
      const { pool } = slice;
      const base = JSON.stringify(slice.labels).slice(0, -1);
      const tail = `},"taints":${taints},"capacity":${JSON.stringify(nodeCapacity(plan, pool))}}`;
      const keys = [LABEL.scalableUnit, LABEL.rack, LABEL.nvlinkDomain].map((k) => `,${JSON.stringify(k)}:`);
      const [unitKey, rackKey, domainKey] = keys as [string, string, string];
      for (const unit of slice.scalableUnits) {
        const unitPart = `${unitKey}${JSON.stringify(unit.id)}`;
        for (let rack = unit.firstRack; rack < unit.firstRack + unit.racks; rack++) {
          const rackPart = `${rackKey}${JSON.stringify(rackId(pool, rack))}`;
          for (let n = 1; n <= pool.sku.nodesPerRack; n++) {
            const name = JSON.stringify(nodeName(pool, rack, n));
            const domain = JSON.stringify(nvlinkDomainId(pool, rack, n));
            yield `{"name":${name},"labels":${base}${unitPart}${rackPart}${domainKey}${domain}${tail}`;
          }
        }
      }
    }
  }
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
