import { describe, expect, it } from "vitest";
import { lineDiff } from "../../../src/review/diff/text-diff.js";

describe("lineDiff", () => {
  it("marks removed and added lines and folds long unchanged runs", () => {
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

  it("returns nothing but context for equal texts", () => {
    expect(lineDiff("x\ny", "x\ny").every((l) => !l.startsWith("-") && !l.startsWith("+"))).toBe(true);
  });
});
