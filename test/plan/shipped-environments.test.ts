import { describe, expect, it } from "vitest";
import { campusCapacity } from "../../src/plan/capacity.js";
import { planOf } from "../fixtures/environments.js";

describe("the shipped environments", () => {
  it("GIVEN staging THEN one building, two GB200 scalable units: 16 racks, 288 nodes, 1,152 GPUs, one cluster", () => {
    const plan = planOf("staging");
    expect(plan.totals).toMatchObject({
      buildings: 1,
      scalableUnits: 2,
      racks: 16,
      nodes: 288,
      gpus: 1_152,
      clusters: 1,
    });
    expect(plan.clusters.map((c) => c.stackName)).toEqual(["staging-stg-c1"]);
  });

  it("GIVEN production THEN each building is 86 units in 3 clusters of at most 5,000 nodes, 24 clusters in all", () => {
    const plan = planOf("production");
    expect(plan.totals).toMatchObject({ buildings: 8, clusters: 24, gpus: 396_288, nodes: 99_072, racks: 5_504 });
    expect(plan.buildings.filter((b) => b.phase === 1).map((b) => b.id)).toEqual(["b1", "b2"]);
    expect(plan.clusters.filter((c) => c.id.startsWith("b1-")).map((c) => c.nodes)).toEqual([4_176, 4_176, 4_032]);
    expect(plan.totals.itPowerMW).toBeCloseTo(726.528, 3);
    expect(plan.totals.facilityPowerMW).toBeLessThanOrEqual(plan.gridPowerMW ?? 0);
  });

  it("GIVEN production's 400G NICs on Quantum-X800 THEN each rail plane is a 2-tier tree of 288-port (2 × 400G) switches", () => {
    const fabric = planOf("production").buildings[0]?.fabric;
    expect(fabric).toMatchObject({ planes: 4, radix: 288, hostsPerPlane: 12_384 });
    expect(fabric?.plane).toMatchObject({ tiers: 2, leaves: 86, spines: 43 });
  });

  it("GIVEN kind THEN two simulated buildings of one rack each share one cluster", () => {
    const plan = planOf("kind");
    expect(plan.totals).toMatchObject({ buildings: 2, racks: 2, nodes: 4, gpus: 16, clusters: 1 });
    expect(plan.clusters[0]?.kubeconfig.context).toBe("kind-gpu-campus");
  });

  it.each(["kind", "staging", "production"] as const)("capacity summary of %s", (name) => {
    const { buildings: _buildings, clusters, ...summary } = campusCapacity(planOf(name));
    expect({
      ...summary,
      clusters: clusters.map((c) => ({ id: c.id, gpus: c.gpus, nodes: c.nodes })),
    }).toMatchSnapshot();
  });
});
