import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxHostsForTiers, sizeFatTree } from "../../src/plan/fat-tree.js";

describe("fat-tree sizing (Al-Fares et al., SIGCOMM 2008)", () => {
  it("GIVEN k-port switches WHEN non-blocking THEN 2 tiers reach k²/2 hosts and 3 tiers k³/4", () => {
    for (const k of [16, 48, 64, 128, 144]) {
      expect(maxHostsForTiers(k, 1, 2)).toBe((k * k) / 2);
      expect(maxHostsForTiers(k, 1, 3)).toBe((k * k * k) / 4);
    }
  });

  it("GIVEN a full 3-tier tree of 64-port switches THEN it takes 5k²/4 switches and k/2 + ... links", () => {
    const k = 64;
    const tree = sizeFatTree({ hosts: (k * k * k) / 4, radix: k, oversubscription: 1, maxTiers: 3 });
    expect(tree?.tiers).toBe(3);
    expect(tree?.switches).toBe((5 * k * k) / 4);
    expect(tree?.leaves).toBe((k * k) / 2);
    expect(tree?.cores).toBe((k * k) / 4);
    // every host link plus leaf→spine and spine→core links: 3 × k³/4
    expect(tree?.links).toBe((3 * k * k * k) / 4);
  });

  it("GIVEN a full 2-tier tree THEN k leaves and k/2 spines", () => {
    const tree = sizeFatTree({ hosts: (64 * 64) / 2, radix: 64, oversubscription: 1, maxTiers: 3 });
    expect(tree).toMatchObject({ tiers: 2, leaves: 64, spines: 32, switches: 96 });
  });

  it("GIVEN 2:1 oversubscription THEN a leaf gives two thirds of its ports to hosts", () => {
    const tree = sizeFatTree({ hosts: 4_200, radix: 96, oversubscription: 2, maxTiers: 2 });
    expect(tree).toMatchObject({ tiers: 2, leaves: Math.ceil(4_200 / 64) });
  });

  it("GIVEN more hosts than maxTiers can reach THEN no tree", () => {
    expect(sizeFatTree({ hosts: 10_369, radix: 144, oversubscription: 1, maxTiers: 2 })).toBeUndefined();
    expect(sizeFatTree({ hosts: 10_368, radix: 144, oversubscription: 1, maxTiers: 2 })?.tiers).toBe(2);
  });

  it("property: the chosen tree reaches the hosts, uses the fewest tiers, and gives every leaf uplink a port", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.constantFrom(32, 64, 128, 144, 288),
        fc.constantFrom(1, 1.5, 2, 3),
        (hosts, radix, oversubscription) => {
          const tree = sizeFatTree({ hosts, radix, oversubscription, maxTiers: 3 });
          if (!tree) {
            expect(hosts).toBeGreaterThan(maxHostsForTiers(radix, oversubscription, 3));
            return;
          }
          expect(tree.maxHosts).toBeGreaterThanOrEqual(hosts);
          if (tree.tiers > 1) expect(maxHostsForTiers(radix, oversubscription, tree.tiers - 1)).toBeLessThan(hosts);
          expect(tree.switches).toBe(tree.leaves + tree.spines + tree.cores);
          if (tree.tiers >= 2)
            expect(tree.spines * radix).toBeGreaterThanOrEqual(tree.links - hosts - tree.cores * radix);
        },
      ),
      { numRuns: 300 },
    );
  });
});
