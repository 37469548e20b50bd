import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusterTarget, packUnits } from "../../src/plan/shards.js";

describe("cluster sharding, stable under growth", () => {
  it("GIVEN a 720-position GB200 floor (90 units of 144 nodes) capped at 5,000 THEN clusters fill to 4,320 nodes: 30 units each", () => {
    const target = clusterTarget(720 * 18, 5_000, 144);
    expect(target).toBe(4_320);
    expect(packUnits(Array(86).fill(144), target, 5_000)?.map((g) => g.length)).toEqual([30, 30, 26]);
  });

  it("GIVEN 86 units growing to 91 THEN su30–31 stay where they were (balancing would have moved them from c2 to c1)", () => {
    const target = clusterTarget(720 * 18, 5_000, 144);
    const before = packUnits(Array(86).fill(144), target, 5_000) ?? [];
    const after = packUnits(Array(91).fill(144), target, 5_000) ?? [];
    before.forEach((group, g) => {
      expect(after[g]?.slice(0, group.length)).toEqual(group);
    });
  });

  it("GIVEN units that fit one cluster THEN one cluster", () => {
    expect(packUnits([144, 144], clusterTarget(24 * 18, 5_000, 144), 5_000)).toEqual([[0, 1]]);
  });

  it("GIVEN a unit larger than the cap THEN no packing (a unit is never split)", () => {
    expect(packUnits([144, 6_000], 5_000, 5_000)).toBeUndefined();
  });

  it("GIVEN no units THEN no clusters", () => {
    expect(packUnits([], 5_000, 5_000)).toEqual([]);
  });

  it("GIVEN any units, cap and floor WHEN a prefix of the units is packed THEN it always packs into the same groups, and no group exceeds the cap", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 600, max: 5_000 }),
        fc.integer({ min: 1, max: 200_000 }),
        fc.nat(),
        (sizes, cap, floor, cut) => {
          const target = clusterTarget(floor, cap, 600);
          const whole = packUnits(sizes, target, cap) ?? [];
          const prefix = packUnits(sizes.slice(0, cut % (sizes.length + 1)), target, cap) ?? [];
          prefix.forEach((group, g) => {
            expect(whole[g]?.slice(0, group.length)).toEqual(group);
          });
          for (const group of whole) expect(group.reduce((s, i) => s + (sizes[i] ?? 0), 0)).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 300 },
    );
  });
});
