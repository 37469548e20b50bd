import { describe, expect, it } from "vitest";
import { sensitivePaths, sensitiveSetting } from "../../../src/review/diff/sensitive.js";

describe("sensitivePaths", () => {
  it("GIVEN a Secret WHEN its paths are checked THEN everything under its data maps is masked", () => {
    const sensitive = sensitivePaths("kubernetes_secret_v1");
    expect(sensitive(["data", "anything"])).toBe(true);
    expect(sensitive(["binary_data", "blob"])).toBe(true);
    expect(sensitive(["metadata", "name"])).toBe(false);
    // The map itself is not masked, so a review can say which key changed.
    expect(sensitive(["data"])).toBe(false);
  });

  it("GIVEN any resource's data WHEN its paths are checked THEN credential-like keys are masked, and nothing else there", () => {
    const sensitive = sensitivePaths("kubernetes_config_map_v1");
    expect(sensitive(["data", "registry-token"])).toBe(true);
    expect(sensitive(["data", "admin_password"])).toBe(true);
    expect(sensitive(["data", "ssh-key"])).toBe(true);
    expect(sensitive(["data", "capacity.json"])).toBe(false);
  });

  it("GIVEN a kubernetes_manifest Secret WHEN its paths are checked THEN its data is masked, known from either side's kind", () => {
    const sensitive = sensitivePaths("kubernetes_manifest", undefined, { manifest: { kind: "Secret" } });
    expect(sensitive(["manifest", "data", "x"])).toBe(true);
    expect(sensitive(["manifest", "stringData", "x"])).toBe(true);
  });

  it("GIVEN stack settings WHEN checked THEN credentials are masked but the backend key stays readable", () => {
    expect(sensitiveSetting(["provider", "kubernetes", 0, "token"])).toBe(true);
    expect(sensitiveSetting(["terraform", "backend", "s3", "key"])).toBe(false);
  });
});
