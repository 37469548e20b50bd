import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitInProportion } from "../../src/plan/tenant-queues.js";
import { planOf } from "../fixtures/environments.js";

describe("tenant queues", () => {
  it("GIVEN any total and weights WHEN split in proportion THEN the parts sum to the total and each is the floor or ceiling of its exact share", () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 12 }),
        (total, weights) => {
          const parts = splitInProportion(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((part, i) => {
            const exact = (total * (weights[i] ?? 0)) / sum;
            expect(part).toBeGreaterThanOrEqual(Math.floor(exact));
            expect(part).toBeLessThanOrEqual(Math.ceil(exact));
          });
        },
      ),
    );
  });

  it("GIVEN production's shares 0.85, 0.1, 0.05 of b1-c1's 17,280 GPUs WHEN planned THEN the quotas are floored and, exact here, leave the Cohort nothing", () => {
    const cluster = planOf("production").clusters.find((c) => c.id === "b1-c1");
    expect(cluster?.tenants.map((t) => [t.id, t.gpuQuota])).toEqual([
      ["frontier-training", 14_688],
      ["inference", 1_728],
      ["research", 864],
    ]);
    expect(cluster?.sharedQuota.map((f) => f.gpus)).toEqual([]);
    // 36 cores and 220 GiB per GB200 GPU (a tray: 144 cores, 880 GiB, 4 GPUs), rounded up
    const [flavor] = cluster?.tenants[1]?.queue.flavors ?? [];
    expect(flavor).toMatchObject({ gpus: 1_728, cpus: 62_208, memoryGiB: 380_160 });
  });

  it("GIVEN staging's platform-tests may borrow 288 WHEN planned THEN its ResourceQuota ceiling is quota + 288 and inference-canary's (borrowing 0) its quota", () => {
    const cluster = planOf("staging").clusters[0];
    expect(cluster?.tenants.map((t) => [t.id, t.gpuRequestCeiling])).toEqual([
      ["platform-tests", 864],
      ["inference-canary", 288],
    ]);
  });
});
