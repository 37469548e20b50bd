import { describe, expect, it } from "vitest";
import { capacityDelta } from "../../../src/review/diff/capacity-delta.js";
import { campusFloorTable } from "../../../src/review/render/campus-floor.js";

const building = (id: string, racks: number) => ({
  id,
  racks,
  rackPositions: 24,
  gpus: racks * 72,
  itPowerMW: racks * 0.132,
  itPowerBudgetMW: 3.5,
});
const capacity = (...buildings: ReturnType<typeof building>[]) => ({ totals: {}, buildings });

describe("campusFloorTable", () => {
  const delta = capacityDelta(
    "lab",
    capacity(building("b1", 12), building("b2", 6), building("b3", 24)),
    capacity(building("b1", 18), building("b3", 24), building("b4", 6)),
  );
  const table = campusFloorTable("lab", delta.floor ?? []);

  it("GIVEN racks added to b1, b2 removed and b4 new THEN each building's bar shows what it had, what is added and what goes", () => {
    const row = (id: string) => table.split("\n").find((l) => l.startsWith(`| ${id} |`));
    expect(row("b1")).toBe(
      `| b1 | changed | <code>${"█".repeat(10)}${"▲".repeat(5)}${"·".repeat(5)}</code> | 12 → 18 / 24 | 1,296 | 2.4 / 3.5 |`,
    );
    expect(row("b2")).toBe(
      `| b2 | ~~removed~~ | <code>${"▽".repeat(5)}${"·".repeat(15)}</code> | 6 / 24 | 432 | 0.8 / 3.5 |`,
    );
    expect(row("b3")).toBe(`| b3 |  | <code>${"█".repeat(20)}</code> | 24 / 24 | 1,728 | 3.2 / 3.5 |`);
    expect(row("b4")).toBe(
      `| b4 | **new** | <code>${"▲".repeat(5)}${"·".repeat(15)}</code> | 6 / 24 | 432 | 0.8 / 3.5 |`,
    );
  });

  it("GIVEN the after side's order THEN buildings are listed b1, b3, b4, then the removed b2", () => {
    expect([...table.matchAll(/^\| (b\d) \|/gm)].map((m) => m[1])).toEqual(["b1", "b3", "b4", "b2"]);
  });
});
