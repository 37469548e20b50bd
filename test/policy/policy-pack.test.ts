import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { afterAll, describe, expect, it } from "vitest";
import type { CampusPlan, ClusterPlan } from "../../src/plan/plan-types.js";
import { PolicyPack } from "../../src/policy/policy-pack.js";
import { formatPolicySummary, policyReport } from "../../src/policy/policy-report.js";
import { synthCampus } from "../../stacks/campus-app.js";
import { environmentData, loadData, plannedEnvironment } from "../fixtures/environments.js";
import { FixtureWorkload, fixtureStack, synthFindings } from "./fixtures.js";

const scratch = mkdtempSync(join(tmpdir(), "gpu-campus-policy-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("PolicyPack violations", () => {
  it("GIVEN a privileged container WHEN synthesized THEN the synth throws naming the rule, the construct path, the address and the fix", () => {
    const { stack } = fixtureStack();
    new FixtureWorkload(stack, "trainer", { privileged: true });
    expect(() => Testing.synth(stack, true)).toThrow(
      /\[fixture\/trainer\/resource\] GPC-003 no-privileged-containers: DaemonSet apps\/trainer: container "main" sets privileged: true \[kubernetes_daemon_set_v1\.[^\]]+\]\. How to fix: /,
    );
  });

  it("GIVEN the pack WHEN the same stack is synthesized twice THEN findings and warnings are not doubled", () => {
    const { stack } = fixtureStack();
    new FixtureWorkload(stack, "trainer", { image: "busybox:1.36", privileged: true });
    synthFindings(stack);
    const { errors, warnings } = synthFindings(stack);
    expect(errors.map((e) => e.rule)).toEqual(["GPC-003"]);
    expect(warnings.map((w) => w.rule)).toEqual(["GPC-011"]);
  });
});

describe("suppressions", () => {
  it("GIVEN PolicyPack.suppress on a parent construct WHEN synthesized THEN its children pass and the suppression is reported", () => {
    const { stack } = fixtureStack();
    const trainer = new FixtureWorkload(stack, "trainer", { runAsNonRoot: null });
    PolicyPack.suppress(trainer, "GPC-006", "the vendor image only starts as root; tracked in TICKET-42");
    expect(synthFindings(stack).errors).toEqual([]);
    expect(policyReport(stack).suppressions).toEqual([
      {
        rule: "GPC-006",
        path: "fixture/trainer/resource",
        reason: "the vendor image only starts as root; tracked in TICKET-42",
        origin: "construct fixture/trainer",
        matcher: "fixture/trainer",
      },
    ]);
  });

  it("GIVEN a suppression of another rule WHEN synthesized THEN the finding still fails the synth", () => {
    const { stack } = fixtureStack();
    const trainer = new FixtureWorkload(stack, "trainer", { runAsNonRoot: null });
    PolicyPack.suppress(trainer, "GPC-007", "this suppression is for a different rule");
    expect(synthFindings(stack).errors.map((e) => e.rule)).toEqual(["GPC-006"]);
  });

  it.each([
    ["GPC-006", "", /GPC-006 needs a reason of at least 10 characters saying why/],
    ["GPC-006", "  root  ", /GPC-006 needs a reason of at least 10 characters saying why; "root" has 4/],
    ["GPC-600", "a long enough reason", /unknown rule "GPC-600"; the pack has GPC-001, .*GPC-022/],
  ])("GIVEN PolicyPack.suppress(%s, %j) WHEN called THEN it throws naming the rule", (rule, reason, message) => {
    const { stack } = fixtureStack();
    const trainer = new FixtureWorkload(stack, "trainer");
    expect(() => PolicyPack.suppress(trainer, rule, reason)).toThrow(message);
    expect(() => PolicyPack.suppress(trainer, rule, reason)).toThrow("PolicyPack.suppress(fixture/trainer)");
  });

  it("GIVEN an environment suppression with a glob WHEN synthesized THEN it covers every match and an unused one is reported", () => {
    const { stack } = fixtureStack({
      suppressions: [
        {
          rule: "GPC-013",
          resource: "fixture/*-agent",
          reason: "node agents read the host network stats",
          origin: "env.yaml:40",
        },
        {
          rule: "GPC-013",
          resource: "fixture/missing/**",
          reason: "a stale suppression nobody removed",
          origin: "env.yaml:44",
        },
      ],
    });
    new FixtureWorkload(stack, "net-agent", { hostNetwork: true });
    new FixtureWorkload(stack, "gpu-agent", { hostNetwork: true });
    new FixtureWorkload(stack, "trainer", { hostNetwork: true });
    expect(synthFindings(stack).errors.map((e) => e.path)).toEqual(["fixture/trainer/resource"]);
    const report = policyReport(stack);
    expect(report.suppressions.map((s) => [s.path, s.origin])).toEqual([
      ["fixture/net-agent/resource", "env.yaml:40"],
      ["fixture/gpu-agent/resource", "env.yaml:40"],
    ]);
    expect(report.unused.map((u) => u.origin)).toEqual(["env.yaml:44"]);
  });

  it("GIVEN a justification annotation shorter than 10 characters WHEN synthesized THEN the finding fails and says why it did not count", () => {
    const { stack } = fixtureStack();
    new FixtureWorkload(stack, "trainer", {
      readOnlyRootFilesystem: null,
      annotations: { "justification.gpu-campus.io/writable-root-filesystem": "legacy" },
    });
    const [error] = synthFindings(stack).errors;
    expect(error?.rule).toBe("GPC-007");
    expect(error?.message).toContain(
      'its annotation justification.gpu-campus.io/writable-root-filesystem needs a reason of at least 10 characters saying why; "legacy" has 6',
    );
  });

  it("GIVEN suppressions and warnings WHEN summarized THEN one line per rule, origin and reason, with a glob over stacks", () => {
    const summary = formatPolicySummary({
      rules: 22,
      stacks: 2,
      warnings: [{ rule: "GPC-011", path: "a-c1/x", reason: 'image "i:1" has no digest' }],
      suppressions: ["a-c1", "a-c2"].map((stack) => ({
        rule: "GPC-006",
        path: `${stack}/plugin/daemon-set`,
        reason: "writes the root-owned kubelet directory",
        origin: "annotation",
        matcher: "justification.gpu-campus.io/run-as-root",
      })),
      unused: [{ rule: "GPC-013", resource: "a-c9/**", reason: "gone", origin: "a.yaml:12" }],
    });
    expect(summary.split("\n")).toEqual([
      "policy: 22 rules on 2 stacks, 0 violations, 1 warning, 2 suppressed findings",
      '  warning GPC-011 × 1: image "i:1" has no digest',
      "suppressions in force:",
      '  GPC-006  */plugin/daemon-set (2 resources)  [annotation justification.gpu-campus.io/run-as-root]  "writes the root-owned kubelet directory"',
      '  unused suppression GPC-013 "a-c9/**" at a.yaml:12: it matched nothing; remove it or fix the path',
    ]);
  });
});

describe("the campus synth with the pack", () => {
  it("GIVEN the kind environment with a suppression in its file WHEN synthesized THEN it passes and lists the suppression with file:line", () => {
    const data = environmentData("kind");
    const loaded = loadData(
      {
        ...data,
        policy: {
          suppressions: [
            {
              rule: "GPC-016",
              resource: "kind-c1/tenant-team-b/**",
              reason: "team-b is a sandbox that must accept ingress from team-a",
            },
          ],
        },
      },
      "kind-with-policy.yaml",
    );
    const result = synthCampus(join(scratch, "kind", "cdktf.out"), [plannedEnvironment(loaded)]);
    const summary = formatPolicySummary(result.policy);
    expect(summary).toMatch(/^policy: 22 rules on 1 stack, 0 violations/);
    // The default-deny policy exists, so the suppression matched nothing and is called out.
    expect(summary).toMatch(/unused suppression GPC-016 "kind-c1\/tenant-team-b\/\*\*" at kind-with-policy\.yaml:\d+:/);
  });

  it("GIVEN a plan that splits an NVLink domain WHEN synthesized THEN the synth throws GPC-022 and nothing is written", () => {
    const planned = plannedEnvironment(loadData(environmentData("kind"), "kind.yaml"));
    const plan: CampusPlan = planned.plan;
    const [cluster] = plan.clusters;
    const [slice] = cluster?.buildings ?? [];
    if (!cluster || !slice) throw new Error("kind has a cluster");
    const thief: ClusterPlan = { ...cluster, id: "c2", stackName: "kind-c2", buildings: [slice], tenants: [] };
    const outdir = join(scratch, "split", "cdktf.out");
    mkdirSync(outdir, { recursive: true });
    writeFileSync(join(outdir, "previous.txt"), "from the last good synth\n");
    expect(() => synthCampus(outdir, [{ ...planned, plan: { ...plan, clusters: [cluster, thief] } }])).toThrow(
      /\[kind-c1\] GPC-022 nvlink-domain-not-split: building k1 pool sim: NVLink domain 1 \(8 GPUs\) is split across clusters c1, c2/,
    );
    expect(readdirSync(outdir)).toEqual(["previous.txt"]);
    expect(readFileSync(join(outdir, "previous.txt"), "utf8")).toBe("from the last good synth\n");
    expect(readdirSync(join(scratch, "split"))).toEqual(["cdktf.out"]);
    expect(existsSync(join(scratch, "split", "cdktf.out", "stacks"))).toBe(false);
  });
});
