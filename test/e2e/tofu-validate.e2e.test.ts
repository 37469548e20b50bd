import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { eachConcurrently, Tofu } from "../../src/engine/tofu.js";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { reportFigure, timed } from "./support/figures.js";
import { ROOT, stackNames } from "./support/synth.js";

/**
 * Every stack of every shipped environment is valid Terraform for the real
 * hashicorp/kubernetes 2.38 provider, as OpenTofu reads it. Backends are not initialised
 * (`-backend=false`): validation needs no state, and production's S3 bucket is not reachable here.
 * Two stacks at a time (two cores); see src/engine/tofu.ts for why that is safe for `tofu init`.
 */
const SUITE = "tofu-validate";
const synthDir = inject("synthDir");
const work = mkdtempSync(join(tmpdir(), "gpu-campus-validate-"));
const tofu = new Tofu(loadToolchain(ROOT), {}, { pluginCacheDir: join(work, "plugin-cache") });

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("tofu validate with the real kubernetes provider", () => {
  it("GIVEN every stack of kind, staging and production WHEN initialised two at a time and validated THEN every one is valid with no diagnostics", async () => {
    const stacks = stackNames(synthDir);
    expect(stacks).toContain("kind-c1");
    expect(stacks).toContain("staging-stg-c1");
    expect(stacks.filter((s) => s.startsWith("production-"))).toHaveLength(24);
    // Each stack's configuration only, in a directory of this suite's own.
    const dirs = stacks.map((stack) => {
      const dir = join(work, stack);
      mkdirSync(dir);
      cpSync(join(synthDir, "stacks", stack, "cdk.tf.json"), join(dir, "cdk.tf.json"));
      return dir;
    });
    await timed(SUITE, `tofu init of ${stacks.length} stacks`, () =>
      tofu.initAll(dirs, ["-backend=false", "-no-color"], 2),
    );

    const results = new Map<string, { valid: boolean; diagnostics: unknown[] }>();
    await timed(SUITE, `tofu validate of ${stacks.length} stacks`, () =>
      eachConcurrently(stacks, 2, async (stack) => {
        const result = await tofu.run(join(work, stack), ["validate", "-json", "-no-color"]);
        results.set(stack, JSON.parse(result.stdout) as { valid: boolean; diagnostics: unknown[] });
      }),
    );
    const failures = [...results].filter(([, r]) => !r.valid || r.diagnostics.length > 0);
    expect(failures.map(([stack, r]) => `${stack}: ${JSON.stringify(r.diagnostics)}`)).toEqual([]);
    expect(results.size).toBe(stacks.length);
    reportFigure(SUITE, "stacks valid", results.size, "stacks");
  }, 900_000);
});
