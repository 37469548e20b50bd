import { describe, expect, it } from "vitest";
import { lineDiff } from "../../../src/review/diff/text-diff.js";

describe("lineDiff", () => {
  it("GIVEN two texts differing in one line WHEN diffed THEN removed and added lines are marked and long unchanged runs folded", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h"].join("\n");
    const after = ["a", "b", "c", "d", "e", "F", "g", "h"].join("\n");
    expect(lineDiff(before, after, 1)).toEqual([
      "@@ 4 unchanged lines @@",
      "  e",
      "- f",
      "+ F",
      "  g",
      "@@ 1 unchanged line @@",
    ]);
  });

  it("GIVEN equal texts WHEN diffed THEN nothing but context is returned", () => {
    expect(lineDiff("x\ny", "x\ny").every((l) => !l.startsWith("-") && !l.startsWith("+"))).toBe(true);
  });
});
