import { describe, expect, it } from "vitest";
import { kubeletRegistrationFlags, nodeRegistrationLines } from "../../src/artifacts/node-registration.js";
import { clusterNodes } from "../../src/plan/node-identity.js";
import { planOf } from "../fixtures/environments.js";

describe("node registration", () => {
  it.each(["kind", "staging", "production"] as const)(
    "GIVEN the %s environment WHEN its records are written as lines THEN each line is exactly JSON.stringify of the record",
    (name) => {
      const plan = planOf(name);
      // Production: one building's three clusters (every building has the same shape).
      for (const cluster of name === "production" ? plan.clusters.slice(0, 3) : plan.clusters) {
        const lines = [...nodeRegistrationLines(plan, cluster)];
        const records = [...clusterNodes(plan, cluster)];
        expect(lines).toHaveLength(records.length);
        expect(lines).toEqual(records.map((record) => JSON.stringify(record)));
      }
    },
  );

  it("GIVEN a node record WHEN turned into kubelet flags THEN the name, labels and taints are what kubelet takes", () => {
    const plan = planOf("kind");
    const cluster = plan.clusters[0];
    if (!cluster) throw new Error("kind has no cluster");
    const [record] = clusterNodes(plan, cluster);
    if (!record) throw new Error("kind has no node");
    const flags = kubeletRegistrationFlags(record);
    expect(flags[0]).toBe(`--hostname-override=${record.name}`);
    expect(flags[1]).toContain("gpu-campus.io/rack=k1-sim-r0001");
    expect(flags[2]).toBe("--register-with-taints=nvidia.com/gpu=present:NoSchedule");
  });
});
