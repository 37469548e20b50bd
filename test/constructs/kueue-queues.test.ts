import { describe, expect, it } from "vitest";
import { GPU_PRIORITY_CLASSES } from "../../src/constructs/gpu-workload-classes.js";
import { GPU_RESOURCE } from "../../src/vocabulary/labels.js";
import { environmentData, plannedData } from "../fixtures/environments.js";
import { manifestsOf, synthCluster, synthShipped } from "../fixtures/stacks.js";

type Queue = {
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown> & {
    resourceGroups: { coveredResources: string[]; flavors: { name: string; resources: Record<string, string>[] }[] }[];
  };
};

const staging = synthShipped("staging");
const queues = manifestsOf(staging.json, "ClusterQueue") as Queue[];
const gpuEntry = (queue: Queue | undefined, flavor = 0) =>
  queue?.spec.resourceGroups[0]?.flavors[flavor]?.resources.find((r) => r.name === GPU_RESOURCE);

describe("KueueQueues", () => {
  it("GIVEN staging's two tenants WHEN synthesized THEN each has a ClusterQueue in the cohort admitting only its namespace, covering gpu, cpu and memory", () => {
    expect(queues.map((q) => q.metadata.name).sort()).toEqual(["inference-canary", "platform-tests"]);
    for (const queue of queues) {
      expect(queue.spec.cohortName).toBe("gpu-campus");
      expect(queue.spec.namespaceSelector).toEqual({
        matchLabels: { "kubernetes.io/metadata.name": queue.metadata.name },
      });
      expect(queue.spec.resourceGroups[0]?.coveredResources).toEqual([GPU_RESOURCE, "cpu", "memory"]);
    }
  });

  it("GIVEN platform-tests with gpuQuota 576 and borrowingLimitGpus 288 WHEN synthesized THEN nominal 576 GPUs with 144 × 144 cores and 144 × 880 GiB, borrowing 288", () => {
    const queue = queues.find((q) => q.metadata.name === "platform-tests");
    expect(queue?.spec.resourceGroups[0]?.flavors[0]?.resources).toEqual([
      { name: GPU_RESOURCE, nominalQuota: "576", borrowingLimit: "288" },
      { name: "cpu", nominalQuota: String(144 * 144), borrowingLimit: String(72 * 144) },
      { name: "memory", nominalQuota: `${144 * 880}Gi`, borrowingLimit: `${72 * 880}Gi` },
    ]);
  });

  it("GIVEN 1,152 GPUs of which tenants hold 864 WHEN synthesized THEN the Cohort itself holds the other 288 for borrowing", () => {
    const [cohort] = manifestsOf(staging.json, "Cohort") as Queue[];
    expect(cohort?.spec.resourceGroups[0]?.flavors[0]?.resources[0]).toEqual({
      name: GPU_RESOURCE,
      nominalQuota: "288",
    });
  });

  it("GIVEN the PriorityClasses WHEN synthesized THEN a WorkloadPriorityClass of the same name and value mirrors each", () => {
    const classes = manifestsOf(staging.json, "WorkloadPriorityClass") as {
      metadata: { name: string };
      value: number;
    }[];
    expect(classes.map((c) => [c.metadata.name, c.value]).sort()).toEqual(
      GPU_PRIORITY_CLASSES.map((p) => [p.name, p.value]).sort(),
    );
  });

  it("GIVEN each tenant WHEN synthesized THEN a LocalQueue named gpu in its namespace points at its ClusterQueue", () => {
    const locals = manifestsOf(staging.json, "LocalQueue") as (Queue & { spec: { clusterQueue: string } })[];
    expect(locals.map((l) => [l.metadata.namespace, l.metadata.name, l.spec.clusterQueue]).sort()).toEqual([
      ["inference-canary", "gpu", "inference-canary"],
      ["platform-tests", "gpu", "platform-tests"],
    ]);
  });

  it("GIVEN a tenant with a 100-GPU quota on a cluster of two pools (64 and 80 racks' worth) WHEN planned THEN the flavors split it in proportion and sum to exactly 100", () => {
    const data = environmentData("staging");
    const [building] = data.buildings;
    if (!building) throw new Error("staging has no building");
    building.rackPositions = 40;
    building.itPowerMW = 6;
    building.pools = [
      { id: "gb200", sku: "gb200-nvl72", racks: 16 },
      { id: "gb300", sku: "gb200-nvl72", racks: 8 },
    ];
    data.tenants = [{ id: "team-a", gpuQuota: 100, queue: { lendingLimitGpus: 10 } }];
    const { loaded } = plannedData(data);
    const fixture = synthCluster(loaded.spec);
    const [queue] = manifestsOf(fixture.json, "ClusterQueue") as Queue[];
    const gpus = [0, 1].map((i) => gpuEntry(queue, i));
    expect(gpus.map((g) => g?.nominalQuota)).toEqual(["67", "33"]);
    expect(gpus.map((g) => g?.lendingLimit)).toEqual(["7", "3"]);
  });
});
