import { describe, expect, it } from "vitest";
import { capacityDelta } from "../../../src/review/diff/capacity-delta.js";
import { unitMoves, unitMovesText } from "../../../src/review/diff/unit-moves.js";
import { capacityHeadlineText } from "../../../src/review/render/render-markdown.js";

/** A capacity.json with only what the move detection reads: clusters, their pools and units. */
function capacityOf(clusters: Record<string, string[]>) {
  return {
    clusters: Object.entries(clusters).map(([id, units]) => ({
      id,
      buildings: [{ id: "b1", pools: [{ id: "gb200", nodes: units.length * 144, scalableUnits: units }] }],
    })),
  };
}

const su = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `b1-gb200-su${String(from + i).padStart(2, "0")}`);

describe("the review diff: nodes that move cluster", () => {
  // The case: balanced shards re-homed su30–31 from c2 to c1 when a building grew 86 → 91.
  const before = capacityOf({ "b1-c1": su(1, 29), "b1-c2": su(30, 58), "b1-c3": su(59, 86) });
  const after = capacityOf({ "b1-c1": su(1, 31), "b1-c2": su(32, 61), "b1-c3": su(62, 91) });

  it("GIVEN units re-homed by a change THEN every moved unit and its nodes are counted", () => {
    const moved = unitMoves(before, after);
    expect(moved.moves.slice(0, 2)).toEqual([
      { unit: "b1-gb200-su30", from: "b1-c2", to: "b1-c1", nodes: 144 },
      { unit: "b1-gb200-su31", from: "b1-c2", to: "b1-c1", nodes: 144 },
    ]);
    expect(moved.moves).toHaveLength(5);
    expect(moved.nodes).toBe(5 * 144);
  });

  it("GIVEN moves THEN the capacity headline says so first, loudly, with the count", () => {
    const delta = capacityDelta("production", before, after);
    expect(delta.unitMoves?.nodes).toBe(720);
    const headline = capacityHeadlineText(delta);
    expect(headline).toContain(
      "production: ⚠ 720 NODES MOVE TO ANOTHER CLUSTER (5 scalable units: b1-gb200-su30 b1-c2→b1-c1",
    );
    expect(headline).toContain("+1 more");
  });

  it("GIVEN growth that only adds units THEN no move is reported", () => {
    const grown = capacityOf({ "b1-c1": su(1, 29), "b1-c2": su(30, 58), "b1-c3": su(59, 90) });
    expect(unitMoves(before, grown).moves).toEqual([]);
    expect(capacityDelta("production", before, grown).unitMoves).toBeUndefined();
    expect(unitMovesText({ nodes: 144, moves: [{ unit: "u", from: "a", to: "b", nodes: 144 }] })).toContain(
      "144 NODES MOVE TO ANOTHER CLUSTER (1 scalable unit: u a→b)",
    );
  });
});
