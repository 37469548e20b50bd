import { describe, expect, it } from "vitest";
import { sensitivePaths, sensitiveSetting } from "../../../src/review/diff/sensitive.js";

describe("sensitivePaths", () => {
  it("masks everything under a Secret's data maps", () => {
    const sensitive = sensitivePaths("kubernetes_secret_v1");
    expect(sensitive(["data", "anything"])).toBe(true);
    expect(sensitive(["binary_data", "blob"])).toBe(true);
    expect(sensitive(["metadata", "name"])).toBe(false);
    // The map itself is not masked, so a review can say which key changed.
    expect(sensitive(["data"])).toBe(false);
  });

  it("masks credential-like keys under any resource's data, and nothing else there", () => {
    const sensitive = sensitivePaths("kubernetes_config_map_v1");
    expect(sensitive(["data", "registry-token"])).toBe(true);
    expect(sensitive(["data", "admin_password"])).toBe(true);
    expect(sensitive(["data", "ssh-key"])).toBe(true);
    expect(sensitive(["data", "capacity.json"])).toBe(false);
  });

  it("masks a kubernetes_manifest Secret's data, known from either side's kind", () => {
    const sensitive = sensitivePaths("kubernetes_manifest", undefined, { manifest: { kind: "Secret" } });
    expect(sensitive(["manifest", "data", "x"])).toBe(true);
    expect(sensitive(["manifest", "stringData", "x"])).toBe(true);
  });

  it("masks credentials in stack settings but keeps the backend key readable", () => {
    expect(sensitiveSetting(["provider", "kubernetes", 0, "token"])).toBe(true);
    expect(sensitiveSetting(["terraform", "backend", "s3", "key"])).toBe(false);
  });
});
