import { describe, expect, it } from "vitest";
import { sameSelectorErrors } from "../../src/constructs/selector-overlap.js";
import { poolLabels, poolSelector } from "../../src/plan/node-identity.js";
import { LABEL, POOL_SELECTOR_KEYS } from "../../src/vocabulary/labels.js";
import { podSecurityLabels, railNetworkName, storageClassName } from "../../src/vocabulary/names.js";
import { planOf } from "../fixtures/environments.js";

describe("naming", () => {
  it("GIVEN kind's two buildings with a pool called sim WHEN selectors are derived THEN they differ by building", () => {
    const plan = planOf("kind");
    const cluster = plan.clusters[0];
    if (!cluster) throw new Error("kind has no cluster");
    const selectors = cluster.buildings.flatMap((b) =>
      b.pools.map((slice) => ({ name: slice.pool.buildingId, selector: slice.selector })),
    );
    expect(selectors.map((s) => s.selector[LABEL.building])).toEqual(["k1", "k2"]);
    expect(sameSelectorErrors(selectors)).toEqual([]);
    const pool = cluster.buildings[0]?.pools[0]?.pool;
    if (!pool) throw new Error("kind has no pool");
    const labels = poolLabels({ region: plan.region, campusId: plan.campusId, clusterId: cluster.id }, pool);
    expect(Object.keys(poolSelector(labels, pool))).toEqual([...POOL_SELECTOR_KEYS]);
    for (const [key, value] of Object.entries(poolSelector(labels, pool))) expect(labels[key]).toBe(value);
    expect(cluster.buildings[0]?.pools[0]?.labels).toEqual(labels);
  });

  it("GIVEN two pools with one selector WHEN checked THEN the error names both", () => {
    const selector = { [LABEL.cluster]: "c1", [LABEL.pool]: "sim" };
    expect(
      sameSelectorErrors([
        { name: "k1-sim", selector },
        { name: "k2-sim", selector: { ...selector } },
      ]),
    ).toEqual([expect.stringMatching(/^pools k1-sim and k2-sim select the same nodes/)]);
  });

  it("GIVEN names and versions WHEN derived THEN class names are suffixed only when asked and PSA labels pin the version", () => {
    expect(storageClassName("shared-fs", "b1", false)).toBe("shared-fs");
    expect(storageClassName("shared-fs", "k1", true)).toBe("shared-fs-k1");
    expect(railNetworkName(3)).toBe("rail-3");
    expect(podSecurityLabels("1.33", "privileged", "baseline")).toEqual({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/enforce-version": "v1.33",
      "pod-security.kubernetes.io/audit": "baseline",
      "pod-security.kubernetes.io/audit-version": "v1.33",
      "pod-security.kubernetes.io/warn": "baseline",
      "pod-security.kubernetes.io/warn-version": "v1.33",
    });
  });
});
