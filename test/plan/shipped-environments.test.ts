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

  it("GIVEN production THEN phase-1 buildings are 83 units and phase-2 buildings 86, 3 clusters each filled to 4,320 nodes", () => {
    const plan = planOf("production");
    expect(plan.totals).toMatchObject({ buildings: 8, clusters: 24, gpus: 392_832, nodes: 98_208, racks: 5_456 });
    expect(plan.buildings.filter((b) => b.phase === 1).map((b) => [b.id, b.scalableUnits])).toEqual([
      ["b1", 83],
      ["b2", 83],
    ]);
    expect(plan.buildings.filter((b) => b.phase === 2).every((b) => b.scalableUnits === 86)).toBe(true);
    // The floor (720 positions = 90 units) shared over 3 clusters: 30 units each, the last one filling.
    expect(plan.clusters.filter((c) => c.id.startsWith("b1-")).map((c) => c.nodes)).toEqual([4_320, 4_320, 3_312]);
    expect(plan.clusters.filter((c) => c.id.startsWith("b3-")).map((c) => c.nodes)).toEqual([4_320, 4_320, 3_744]);
    // Every unit at the DGX SuperPOD GB200 RA's 1.2 MW: 83 × 1.2 = 99.6 MW of 100, 86 × 1.2 = 103.2 of 166.
    expect(plan.buildings[0]?.itPowerMW).toBeCloseTo(99.6, 6);
    expect(plan.buildings[2]?.itPowerMW).toBeCloseTo(103.2, 6);
    expect(plan.totals.itPowerMW).toBeCloseTo(818.4, 6);
    expect(plan.totals.facilityPowerMW).toBeLessThanOrEqual(plan.gridPowerMW ?? 0);
  });

  it("GIVEN production's ConnectX-7 on QM9700 THEN one independent 3-tier plane per NIC rail at NDR 400G", () => {
    const fabric = planOf("production").buildings[2]?.fabric;
    expect(fabric).toMatchObject({ design: "multi-plane", planeAssignment: "per-rail", planes: 4, radix: 64 });
    expect(fabric).toMatchObject({ linkGbps: 400, hostsPerPlane: 12_384 });
    // 387 leaves of 32 uplinks; 12 full pods of 32 spines and a last pod of 3 leaves on 4 spines.
    expect(fabric?.plane).toMatchObject({ tiers: 3, leaves: 387, spines: 388, cores: 194, pods: 13 });
    expect(fabric?.links).toEqual({ nodeLeaf: 4 * 12_384, leafSpine: 4 * 387 * 32, spineCore: 4 * 387 * 32 });
  });

  it("GIVEN staging's two units on QM9700 THEN a 2-tier plane per rail with room to grow to its floor", () => {
    const fabric = planOf("staging").buildings[0]?.fabric;
    expect(fabric?.plane).toMatchObject({ tiers: 2, leaves: 9, spines: 8, linksPerLeafSpinePair: 4 });
    expect(fabric?.growth).toEqual({ floorHostsPerPlane: 432, maxHostsPerPlane: 2_048, leavesBeforeNewSpine: 7 });
  });

  it("GIVEN kind THEN two simulated buildings of one rack each share one cluster", () => {
    const plan = planOf("kind");
    expect(plan.totals).toMatchObject({ buildings: 2, racks: 2, nodes: 4, gpus: 16, clusters: 1 });
    expect(plan.clusters[0]?.kubeconfig.context).toBe("kind-gpu-campus");
  });

  it.each(["kind", "staging", "production"] as const)(
    "GIVEN the shipped %s environment WHEN its capacity is summarised THEN the summary matches the snapshot",
    (name) => {
      const { buildings: _buildings, clusters, ...summary } = campusCapacity(planOf(name));
      expect({
        ...summary,
        clusters: clusters.map((c) => ({ id: c.id, gpus: c.gpus, nodes: c.nodes })),
      }).toMatchSnapshot();
    },
  );
});
