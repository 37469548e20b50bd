import { describe, expect, it } from "vitest";
import { partitionUnits } from "../../src/plan/shards.js";

describe("cluster sharding", () => {
  it("GIVEN 86 GB200 scalable units of 144 nodes WHEN capped at 5,000 THEN 3 clusters of 29, 29, 28 units", () => {
    const groups = partitionUnits(Array(86).fill(144), 5_000);
    expect(groups?.map((g) => g.length)).toEqual([29, 29, 28]);
  });

  it("GIVEN units that fit one cluster THEN one cluster", () => {
    expect(partitionUnits([144, 144], 5_000)).toEqual([[0, 1]]);
  });

  it("GIVEN a unit larger than the cap THEN no partition (a unit is never split)", () => {
    expect(partitionUnits([144, 6_000], 5_000)).toBeUndefined();
  });

  it("GIVEN no units THEN no clusters", () => {
    expect(partitionUnits([], 5_000)).toEqual([]);
  });
});
