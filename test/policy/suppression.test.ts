import { describe, expect, it } from "vitest";
import { patternCanMatchStack, patternMatches, reasonProblem } from "../../src/policy/suppression.js";

describe("suppression patterns", () => {
  it.each([
    [
      "staging-stg-c1/nvidia-device-plugin/daemonset-stg-gb200",
      "staging-stg-c1/nvidia-device-plugin/daemonset-stg-gb200",
      true,
    ],
    ["staging-stg-c1/nvidia-device-plugin", "staging-stg-c1/nvidia-device-plugin/daemonset-stg-gb200", true],
    ["*/nvidia-device-plugin/daemonset-*", "production-b1-c2/nvidia-device-plugin/daemonset-b1-gb200", true],
    ["**/daemonset-*", "production-b1-c2/nvidia-device-plugin/daemonset-b1-gb200", true],
    ["production-*/**", "production-b1-c2/inventory/namespace", true],
    ["*/nvidia-device-plugin", "production-b1-c2/nvidia-device-plugin-extra/x", false],
    ["staging-*", "production-b1-c2/inventory", false],
    ["*/inventory.namespace", "kind-c1/inventory/namespace", false],
  ])("GIVEN %s WHEN matched against %s THEN %s", (pattern, path, expected) => {
    expect(patternMatches(pattern, path)).toBe(expected);
  });

  it("GIVEN stack names WHEN a pattern's first segment is checked THEN only patterns that can match a stack pass", () => {
    const stacks = ["production-b1-c1", "production-b1-c2"];
    expect(patternCanMatchStack("production-b1-*/x", stacks)).toBe(true);
    expect(patternCanMatchStack("**/x", stacks)).toBe(true);
    expect(patternCanMatchStack("prod-b1-c1/x", stacks)).toBe(false);
  });

  it("GIVEN reasons WHEN checked THEN 10 characters after trimming is the minimum", () => {
    expect(reasonProblem("runs as root")).toBeUndefined();
    expect(reasonProblem("   too short   ")).toBe(
      'needs a reason of at least 10 characters saying why; "too short" has 9',
    );
    expect(reasonProblem("  long enough  ")).toBeUndefined();
    expect(reasonProblem("short")).toBe('needs a reason of at least 10 characters saying why; "short" has 5');
    expect(reasonProblem(undefined)).toBe("needs a reason of at least 10 characters saying why");
  });
});
