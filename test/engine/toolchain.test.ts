import { describe, expect, it } from "vitest";
import { parseEnvLines, providerRequired, providerSource } from "../../src/engine/toolchain.js";

// The lines as scripts/bootstrap-toolchain.sh --print-env writes them: `printf 'export %s=%q'`
// for paths, and the missing-provider reason single-quoted.
const MIRROR = [
  "export GPU_CAMPUS_TOFU=/cache/tofu-v1.10.10/bin/tofu",
  "export TF_CLI_CONFIG_FILE=/cache/tofurc",
  "export GPU_CAMPUS_KUBERNETES_PROVIDER=mirror",
  "export GPU_CAMPUS_KUEUE_CRDS=/cache\\ dir/crds/kueue",
].join("\n");
const MISSING =
  "export GPU_CAMPUS_KUBERNETES_PROVIDER_MISSING='no hashicorp/kubernetes 2.38.0: not installed in /cache; run scripts/bootstrap-toolchain.sh'";

describe("the bootstrap's env lines", () => {
  it("GIVEN %q-quoted paths WHEN parsed THEN the values are the paths", () => {
    expect(parseEnvLines(MIRROR)).toMatchObject({
      GPU_CAMPUS_TOFU: "/cache/tofu-v1.10.10/bin/tofu",
      GPU_CAMPUS_KUEUE_CRDS: "/cache dir/crds/kueue",
    });
  });

  it("GIVEN GPU_CAMPUS_KUBERNETES_PROVIDER=mirror with TF_CLI_CONFIG_FILE THEN the mirror with its CLI config", () => {
    expect(providerSource(parseEnvLines(MIRROR))).toEqual({ kind: "mirror", cliConfigFile: "/cache/tofurc" });
  });

  it("GIVEN GPU_CAMPUS_KUBERNETES_PROVIDER=registry THEN the registry", () => {
    expect(providerSource(parseEnvLines("export GPU_CAMPUS_KUBERNETES_PROVIDER=registry"))).toEqual({
      kind: "registry",
    });
  });

  it("GIVEN a single-quoted missing reason THEN missing, with the bootstrap's reason word for word", () => {
    expect(providerSource(parseEnvLines(MISSING))).toEqual({
      kind: "missing",
      reason: "no hashicorp/kubernetes 2.38.0: not installed in /cache; run scripts/bootstrap-toolchain.sh",
    });
  });

  it("GIVEN a mirror line without its CLI config THEN missing, naming what was printed", () => {
    const source = providerSource(parseEnvLines("export GPU_CAMPUS_KUBERNETES_PROVIDER=mirror"));
    expect(source).toEqual({
      kind: "missing",
      reason: expect.stringContaining("GPU_CAMPUS_KUBERNETES_PROVIDER=mirror"),
    });
  });

  it("GIVEN GPU_CAMPUS_REQUIRE_PROVIDER THEN a missing provider is required only for 1 or true", () => {
    expect(providerRequired({ GPU_CAMPUS_REQUIRE_PROVIDER: "1" })).toBe(true);
    expect(providerRequired({ GPU_CAMPUS_REQUIRE_PROVIDER: "true" })).toBe(true);
    expect(providerRequired({ GPU_CAMPUS_REQUIRE_PROVIDER: "0" })).toBe(false);
    expect(providerRequired({})).toBe(false);
  });
});
