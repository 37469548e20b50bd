import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { campusPolicyPack, environmentSuppressions } from "../../src/policy/campus-policy.js";
import { formatPolicySummary } from "../../src/policy/policy-report.js";
import { synthCampus } from "../../stacks/campus-app.js";
import { environmentData, loadData, loadShipped, plannedEnvironment } from "../fixtures/environments.js";

const scratch = mkdtempSync(join(tmpdir(), "gpu-campus-campus-policy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the policy pack on the shipped environments", () => {
  it("GIVEN kind, staging and production WHEN synthesized THEN the pack passes with only justified suppressions, each listed", () => {
    const planned = (["kind", "staging", "production"] as const).map((name) => plannedEnvironment(loadShipped(name)));
    const { policy } = synthCampus(join(scratch, "cdktf.out"), planned);
    const stacks = planned.reduce((sum, p) => sum + p.plan.clusters.length, 0);
    expect(policy.stacks).toBe(stacks);
    expect(policy.unused).toEqual([]);
    const summary = formatPolicySummary(policy);
    for (const suppression of policy.suppressions) {
      expect(suppression.reason.length, `${suppression.rule} at ${suppression.path}`).toBeGreaterThanOrEqual(10);
      expect(summary).toContain(`  ${suppression.rule}  `);
      expect(summary).toContain(`"${suppression.reason}"`);
    }
  });
});

describe("campusPolicyPack", () => {
  it("GIVEN an environment file with suppressions WHEN packed THEN each keeps its file:line and the cluster's overcommit setting", () => {
    const data = environmentData("staging");
    const loaded = loadData(
      {
        ...data,
        clusters: { ...data.clusters, allowQuotaOvercommit: true },
        policy: {
          suppressions: [{ rule: "GPC-011", resource: "staging-*/**", reason: "the mirror strips digests until 2026" }],
        },
      },
      "staging.yaml",
    );
    const [suppression] = environmentSuppressions(loaded);
    const line = loaded.sourceMap.locate(["policy", "suppressions", 0]).line;
    expect(suppression).toEqual({
      rule: "GPC-011",
      resource: "staging-*/**",
      reason: "the mirror strips digests until 2026",
      origin: `staging.yaml:${line}`,
    });
    const planned = plannedEnvironment(loaded);
    const [cluster] = planned.plan.clusters;
    if (!cluster) throw new Error("staging has a cluster");
    const pack = campusPolicyPack(loaded, planned.plan, cluster);
    expect(pack.declaredSuppressions).toEqual([suppression]);
  });
});
