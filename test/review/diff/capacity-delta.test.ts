import { describe, expect, it } from "vitest";
import { buildCampusPlan } from "../../../src/plan/campus-plan.js";
import { campusCapacity } from "../../../src/plan/capacity.js";
import { capacityDelta } from "../../../src/review/diff/capacity-delta.js";
import { environmentData, loadData, planOf } from "../../fixtures/environments.js";

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("capacityDelta", () => {
  const before = json(campusCapacity(planOf("production")));

  it("GIVEN the same capacity on both sides WHEN compared THEN the delta is unchanged", () => {
    expect(capacityDelta("production", before, before).status).toBe("unchanged");
  });

  it("GIVEN production with a ninth building WHEN compared THEN the delta gives the new building and the totals' change", () => {
    // GIVEN production with a ninth building like the others
    const data = environmentData("production");
    const first = data.buildings[0];
    if (!first) throw new Error("production has no building");
    data.buildings.push({ ...first, id: "b9", phase: 3 });
    data.campus.gridPowerMW = 1400;
    const after = json(campusCapacity(buildCampusPlan(loadData(data).spec)));
    // WHEN compared
    const delta = capacityDelta("production", before, after, { added: ["production-b9-c1"], removed: [] });
    // THEN the totals and the building say what was added
    const gpus = delta.metrics.find((m) => m.label === "GPUs");
    expect(gpus).toMatchObject({ before: before.totals.gpus, after: before.totals.gpus + before.buildings[0].gpus });
    expect(delta.buildings).toHaveLength(1);
    expect(delta.buildings[0]).toMatchObject({ id: "b9", status: "added" });
    expect(delta.buildings[0]?.metrics.find((m) => m.label === "IT power")?.after).toBe(before.buildings[0].itPowerMW);
  });

  it("GIVEN an environment that appears or disappears WHEN compared THEN it is marked added or removed", () => {
    expect(capacityDelta("stage", undefined, before).status).toBe("added");
    expect(capacityDelta("staging", before, undefined).status).toBe("removed");
  });
});
