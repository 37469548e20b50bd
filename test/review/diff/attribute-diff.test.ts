import { describe, expect, it } from "vitest";
import { diffAttributes } from "../../../src/review/diff/attribute-diff.js";
import { MASK, sensitivePaths } from "../../../src/review/diff/sensitive.js";

const plain = { type: "kubernetes_config_map_v1", sensitive: () => false };

describe("diffAttributes", () => {
  it("GIVEN a multi-line string change WHEN diffed THEN it becomes a line diff", () => {
    // GIVEN a device plugin config in a ConfigMap that changes one line
    const before = { data: { "b1-gb200": "version: v1\nflags:\n  migStrategy: none\n" } };
    const after = { data: { "b1-gb200": "version: v1\nflags:\n  migStrategy: single\n" } };
    // WHEN diffed
    const [change] = diffAttributes(before, after, plain);
    // THEN the change carries the lines that differ, not two unreadable blobs
    expect(change?.path).toBe("data.b1-gb200");
    expect(change?.textDiff).toContain("-   migStrategy: none");
    expect(change?.textDiff).toContain("+   migStrategy: single");
  });

  it("GIVEN a long list that changes WHEN diffed THEN it is summarised by the items added and removed", () => {
    const units = (n: number) => Array.from({ length: n }, (_, i) => `su${String(i + 1).padStart(2, "0")}`);
    const [change] = diffAttributes({ units: units(29) }, { units: units(30) }, plain);
    expect(change).toMatchObject({ path: "units", before: "[29 items]", after: "[30 items]", note: "added su30" });
  });

  it("GIVEN attributes known only after apply, which plan JSON keeps in after_unknown alone WHEN diffed THEN they are listed", () => {
    const after = { metadata: [{ name: "research" }] };
    const afterUnknown = { id: true, metadata: [{ uid: true, resource_version: true }] };
    const changes = diffAttributes(undefined, after, { ...plain, afterUnknown });
    expect(changes.map((c) => [c.path, c.unknownAfter ?? false])).toEqual([
      ["metadata[0].name", false],
      ["metadata[0].uid", true],
      ["metadata[0].resource_version", true],
      ["id", true],
    ]);
  });

  it("GIVEN a value flagged sensitive WHEN diffed THEN it is masked, and so is the same value wherever else it appears", () => {
    const before = { input: "old-token-value", output: "old-token-value" };
    const after = { input: "new-token-value" };
    const changes = diffAttributes(before, after, {
      ...plain,
      beforeSensitive: { input: true },
      afterSensitive: { input: true },
      afterUnknown: { output: true },
    });
    expect(changes).toEqual([
      { path: "input", before: MASK, after: MASK, sensitive: true },
      { path: "output", before: MASK, sensitive: true, unknownAfter: true },
    ]);
  });

  it("GIVEN a Secret's data WHEN diffed THEN it is masked by resource type", () => {
    const type = "kubernetes_secret_v1";
    const changes = diffAttributes(
      { data: { "ca.crt": "old" } },
      { data: { "ca.crt": "new" } },
      {
        type,
        sensitive: sensitivePaths(type),
      },
    );
    expect(JSON.stringify(changes)).not.toMatch(/old|new/);
  });

  it("GIVEN null (plan JSON's unset) WHEN diffed THEN it is treated as absent", () => {
    expect(diffAttributes({ a: null, b: 1 }, { b: 1 }, plain)).toEqual([]);
  });
});
