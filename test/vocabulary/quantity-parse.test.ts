import { describe, expect, it } from "vitest";
import { parseQuantity } from "../../src/vocabulary/quantity.js";

describe("parseQuantity", () => {
  it.each([
    ["576", 576],
    [576, 576],
    ["1k", 1000],
    ["500m", 0.5],
    ["2Gi", 2 * 2 ** 30],
    ["1e3", 1000],
  ])("GIVEN %j WHEN parsed THEN it is %d", (value, expected) => {
    expect(parseQuantity(value)).toBe(expected);
  });

  it("GIVEN an expression or a typo WHEN parsed THEN it is undefined", () => {
    // A Terraform expression, written as it appears in cdk.tf.json.
    expect(parseQuantity(["$", "{var.gpus}"].join(""))).toBeUndefined();
    expect(parseQuantity("8 GPUs")).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});
