import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlans, runPlanReport, stackNameOf } from "../../../src/review/cli/plan-report.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "plans");

describe("stackNameOf", () => {
  it("GIVEN a plan argument WHEN its stack is named THEN it takes an explicit name, the file's name, or a generic file's directory", () => {
    expect(stackNameOf("production-b1-c1=out/plan.json")).toEqual({ stack: "production-b1-c1", file: "out/plan.json" });
    expect(stackNameOf("plans/production-b1-c2.json").stack).toBe("production-b1-c2");
    expect(stackNameOf("cdktf.out/stacks/production-b1-c3/plan.json").stack).toBe("production-b1-c3");
  });
});

describe("runPlanReport", () => {
  it("GIVEN a plan that destroys a data volume WHEN reported with --fail-on-destroy THEN it exits 2 (and 0 without the flag)", () => {
    const plans = loadPlans([join(FIXTURES, "kubernetes-handwritten.json")], () => "");
    expect(runPlanReport(plans, { format: "json", failOnDestroy: true }).exitCode).toBe(2);
    expect(runPlanReport(plans, { format: "json" }).exitCode).toBe(0);
  });

  it("GIVEN a plan that destroys nothing holding data WHEN reported with --fail-on-destroy THEN it exits 0", () => {
    const plans = loadPlans([join(FIXTURES, "builtin-all.json")], () => "");
    expect(runPlanReport(plans, { format: "markdown", failOnDestroy: true }).exitCode).toBe(0);
  });

  it("GIVEN a plan WHEN reported in the json format THEN it prints JSON for tools", () => {
    const plans = loadPlans([`b1=${join(FIXTURES, "builtin-update.json")}`], () => "");
    const json = JSON.parse(runPlanReport(plans, { format: "json" }).text);
    expect(json).toMatchObject({ kind: "plan", exitCode: 0, stacks: [{ stack: "b1", status: "changed" }] });
  });

  it("GIVEN a file that is not JSON WHEN loaded THEN the error says so", () => {
    expect(() => loadPlans(["-"], () => "binary plan \u0000")).toThrow(
      /not JSON \(give the output of `tofu show -json/,
    );
  });
});
