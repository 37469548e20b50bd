import { describe, expect, it } from "vitest";
import { isDataHolding, resourceDestroyWarnings, stackRemovalWarning } from "../../../src/review/diff/destroy-risk.js";
import type { ResourceChange } from "../../../src/review/model.js";

const change = (overrides: Partial<ResourceChange>): ResourceChange => ({
  address: "kubernetes_persistent_volume_claim_v1.dataset",
  type: "kubernetes_persistent_volume_claim_v1",
  mode: "managed",
  action: "delete",
  attributes: [],
  ...overrides,
});

describe("isDataHolding", () => {
  it("GIVEN a resource WHEN judged data-holding THEN it holds for volume claims, volumes, manifests of those kinds and anything prevent_destroy", () => {
    expect(isDataHolding("kubernetes_persistent_volume_claim_v1", {})).toBe(true);
    expect(isDataHolding("kubernetes_manifest", { manifest: { kind: "PersistentVolumeClaim" } })).toBe(true);
    expect(isDataHolding("kubernetes_config_map_v1", { lifecycle: { prevent_destroy: true } })).toBe(true);
    expect(isDataHolding("kubernetes_config_map_v1", {})).toBe(false);
  });
});

describe("resourceDestroyWarnings", () => {
  it("GIVEN destroyed, replaced and updated resources WHEN warned about THEN a destroyed or replaced claim, protected resource or namespace warns, and nothing else", () => {
    const warnings = resourceDestroyWarnings("production-b1-c1", [
      change({ dataHolding: true, object: "PersistentVolumeClaim research/dataset" }),
      change({ action: "replace", dataHolding: true, type: "kubernetes_config_map_v1", address: "cm.x" }),
      change({ type: "kubernetes_namespace_v1", address: "ns.x", object: "Namespace research" }),
      change({ type: "kubernetes_config_map_v1", address: "cm.y" }),
      change({ action: "update", dataHolding: true }),
    ]);
    expect(warnings.map((w) => [w.kind, w.action])).toEqual([
      ["data-volume", "delete"],
      ["protected", "replace"],
      ["namespace", "delete"],
    ]);
    expect(warnings[0]?.message).toBe("PersistentVolumeClaim research/dataset would be destroyed: its data is lost");
  });

  it("GIVEN a protected claim removed from the code WHEN warned about THEN the warning says its protection goes too", () => {
    const [warning] = resourceDestroyWarnings("s", [
      change({ dataHolding: true, attributes: [{ path: "lifecycle.prevent_destroy", before: true }] }),
    ]);
    expect(warning?.message).toMatch(/its prevent_destroy goes with the code, so Terraform will not stop this/);
  });
});

describe("stackRemovalWarning", () => {
  it("GIVEN a removed stack WHEN warned about THEN the warning counts what the stack holds", () => {
    const warning = stackRemovalWarning(
      { stack: "staging-stg-c1", status: "removed", resources: [change({}), change({})], settings: [], unchanged: 0 },
      1,
    );
    expect(warning).toMatchObject({ kind: "stack", stack: "staging-stg-c1" });
    expect(warning.message).toMatch(/its 2 resources, 1 of them data-holding/);
  });
});
