import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evenSpineCount, maxHostsForTiers, sizeFatTree } from "../../src/plan/fat-tree.js";

describe("fat-tree sizing (Al-Fares et al., SIGCOMM 2008), rail-optimized", () => {
  it("GIVEN k-port switches WHEN non-blocking THEN 2 tiers reach k²/2 hosts and 3 tiers k³/4", () => {
    for (const k of [16, 48, 64, 128, 144]) {
      expect(maxHostsForTiers(k, 1, 2)).toBe((k * k) / 2);
      expect(maxHostsForTiers(k, 1, 3)).toBe((k * k * k) / 4);
    }
  });

  it("GIVEN a full 3-tier tree of 64-port switches THEN 5k²/4 switches and 3 × k³/4 links", () => {
    const k = 64;
    const tree = sizeFatTree({ hostsPerRail: [(k * k * k) / 4], radix: k, oversubscription: 1, maxTiers: 3 });
    expect(tree).toMatchObject({ tiers: 3, switches: (5 * k * k) / 4, leaves: (k * k) / 2, cores: (k * k) / 4 });
    expect(tree?.totalLinks).toBe((3 * k * k * k) / 4);
  });

  it("GIVEN 72 uplinks per leaf and 144-port spines THEN 18 and 36 spines for 32 and 64 leaves (DGX SuperPOD B300 XDR RA, Table 3)", () => {
    // ⌈32 × 72 / 144⌉ = 16 and ⌈64 × 72 / 144⌉ = 32 do not divide 72; the RA publishes 18 and 36.
    expect(evenSpineCount(72, 16)).toBe(18);
    expect(evenSpineCount(72, 32)).toBe(36);
    const tree = sizeFatTree({ hostsPerRail: Array(8).fill(288), radix: 144, oversubscription: 1, maxTiers: 3 });
    expect(tree).toMatchObject({ tiers: 2, leaves: 32, spines: 18, linksPerLeafSpinePair: 4 });
  });

  it("GIVEN rails with different host counts (a mixed building) THEN each rail gets the leaves its own hosts need", () => {
    // 4-NIC and 8-NIC pools: rails 0–3 carry both pools' nodes, rails 4–7 only the 8-NIC pool's.
    const tree = sizeFatTree({
      hostsPerRail: [96, 96, 96, 96, 32, 32, 32, 32],
      radix: 64,
      oversubscription: 1,
      maxTiers: 3,
    });
    expect(tree?.leavesPerRail).toEqual([3, 3, 3, 3, 1, 1, 1, 1]);
    // Averaging 512 ports over 8 rails would give 2 leaves a rail: the busiest rails 64 ports short.
  });

  it("GIVEN a small fabric and a floor twice its size THEN the tier count holds the floor, and the headroom says how much", () => {
    const today = sizeFatTree({ hostsPerRail: [100], radix: 128, oversubscription: 1, maxTiers: 3 });
    expect(today?.tiers).toBe(1);
    const grown = sizeFatTree({
      hostsPerRail: [100],
      radix: 128,
      oversubscription: 1,
      maxTiers: 3,
      growthHostsPerRail: [200],
    });
    expect(grown).toMatchObject({ tiers: 2, leaves: 2, spines: 1, maxHosts: 128 * 64 });
    expect(grown?.leavesBeforeNewSpine).toBe(0);
  });

  it("GIVEN 2:1 oversubscription THEN a leaf gives two thirds of its ports to hosts", () => {
    const tree = sizeFatTree({ hostsPerRail: [4_200], radix: 96, oversubscription: 2, maxTiers: 2 });
    expect(tree).toMatchObject({ tiers: 2, leaves: Math.ceil(4_200 / 64), downlinksPerLeaf: 64, uplinksPerLeaf: 32 });
  });

  it("GIVEN more hosts than maxTiers can reach THEN no tree", () => {
    expect(sizeFatTree({ hostsPerRail: [10_369], radix: 144, oversubscription: 1, maxTiers: 2 })).toBeUndefined();
    expect(sizeFatTree({ hostsPerRail: [10_368], radix: 144, oversubscription: 1, maxTiers: 2 })?.tiers).toBe(2);
  });

  it("GIVEN any rails, radix and oversubscription WHEN sized THEN every leaf uplink has a spine port, spine counts divide the uplinks, and the fewest tiers are used", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30_000 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(32, 64, 128, 144, 256),
        fc.constantFrom(1, 1.5, 2, 3),
        (hostsPerRail, radix, oversubscription) => {
          const tree = sizeFatTree({ hostsPerRail, radix, oversubscription, maxTiers: 3 });
          const hosts = hostsPerRail.reduce((a, b) => a + b, 0);
          if (!tree) return;
          expect(tree.links.nodeLeaf).toBe(hosts);
          expect(tree.switches).toBe(tree.leaves + tree.spines + tree.cores);
          if (tree.tiers === 1) {
            expect(hosts).toBeLessThanOrEqual(radix);
            return;
          }
          expect(tree.leavesPerRail.every((l, r) => l * tree.downlinksPerLeaf >= (hostsPerRail[r] ?? 0))).toBe(true);
          expect(tree.uplinksPerLeaf % tree.linksPerLeafSpinePair).toBe(0);
          if (tree.tiers === 2) {
            expect(tree.uplinksPerLeaf % tree.spines).toBe(0);
            expect(tree.leaves * tree.linksPerLeafSpinePair).toBeLessThanOrEqual(radix);
          } else {
            expect(tree.cores * radix).toBeGreaterThanOrEqual(tree.links.spineCore);
            expect(sizeFatTree({ hostsPerRail, radix, oversubscription, maxTiers: 2 })).toBeUndefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
