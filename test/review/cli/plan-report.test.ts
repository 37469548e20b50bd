import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlans, runPlanReport, stackNameOf } from "../../../src/review/cli/plan-report.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "plans");

describe("stackNameOf", () => {
  it("takes an explicit name, a file's name, or a generic file's directory", () => {
    expect(stackNameOf("production-b1-c1=out/plan.json")).toEqual({ stack: "production-b1-c1", file: "out/plan.json" });
    expect(stackNameOf("plans/production-b1-c2.json").stack).toBe("production-b1-c2");
    expect(stackNameOf("cdktf.out/stacks/production-b1-c3/plan.json").stack).toBe("production-b1-c3");
  });
});

describe("runPlanReport", () => {
  it("exits 2 with --fail-on-destroy when a data volume would be destroyed", () => {
    const plans = loadPlans([join(FIXTURES, "kubernetes-handwritten.json")], () => "");
    expect(runPlanReport(plans, { format: "json", failOnDestroy: true }).exitCode).toBe(2);
    expect(runPlanReport(plans, { format: "json" }).exitCode).toBe(0);
  });

  it("exits 0 with --fail-on-destroy when nothing holding data is destroyed", () => {
    const plans = loadPlans([join(FIXTURES, "builtin-all.json")], () => "");
    expect(runPlanReport(plans, { format: "markdown", failOnDestroy: true }).exitCode).toBe(0);
  });

  it("prints JSON for tools", () => {
    const plans = loadPlans([`b1=${join(FIXTURES, "builtin-update.json")}`], () => "");
    const json = JSON.parse(runPlanReport(plans, { format: "json" }).text);
    expect(json).toMatchObject({ kind: "plan", exitCode: 0, stacks: [{ stack: "b1", status: "changed" }] });
  });

  it("says when a file is not JSON", () => {
    expect(() => loadPlans(["-"], () => "binary plan \u0000")).toThrow(
      /not JSON \(give the output of `tofu show -json/,
    );
  });
});
