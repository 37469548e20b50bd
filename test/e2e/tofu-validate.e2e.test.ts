import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tofu } from "../../src/engine/tofu.js";
import { loadToolchain } from "../../src/engine/toolchain.js";
import { ROOT, stackNames, synthInto } from "./support/synth.js";

/**
 * Every stack of every shipped environment is valid Terraform for the real
 * hashicorp/kubernetes 2.38 provider, as OpenTofu reads it. Backends are not initialised
 * (`-backend=false`): validation needs no state, and production's S3 bucket is not reachable here.
 */
const work = mkdtempSync(join(tmpdir(), "gpu-campus-validate-"));
const outdir = join(work, "cdktf.out");
const tofu = new Tofu(loadToolchain(ROOT));

beforeAll(() => synthInto(outdir), 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function validate(stack: string): Promise<{ valid: boolean; diagnostics: unknown[] }> {
  const dir = join(outdir, "stacks", stack);
  await tofu.must(dir, ["init", "-backend=false", "-no-color"]);
  const result = await tofu.run(dir, ["validate", "-json", "-no-color"]);
  const parsed = JSON.parse(result.stdout) as { valid: boolean; diagnostics: unknown[] };
  return parsed;
}

describe("tofu validate with the real kubernetes provider", () => {
  it("GIVEN every stack of kind, staging and production WHEN validated THEN every one is valid with no diagnostics", async () => {
    const stacks = stackNames(outdir);
    expect(stacks).toContain("kind-c1");
    expect(stacks).toContain("staging-stg-c1");
    expect(stacks.filter((s) => s.startsWith("production-"))).toHaveLength(24);
    const results = new Map<string, { valid: boolean; diagnostics: unknown[] }>();
    // Two at a time: this machine has two cores.
    const queue = [...stacks];
    await Promise.all(
      [0, 1].map(async () => {
        for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
          results.set(stack, await validate(stack));
        }
      }),
    );
    const failures = [...results].filter(([, r]) => !r.valid || r.diagnostics.length > 0);
    expect(failures.map(([stack, r]) => `${stack}: ${JSON.stringify(r.diagnostics)}`)).toEqual([]);
    expect(results.size).toBe(stacks.length);
  }, 900_000);
});
