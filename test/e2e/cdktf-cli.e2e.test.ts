import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../fixtures/environments.js";

/** The app as the cdktf CLI runs it (`cdktf synth`, which deploys also run first): slow, so with the e2e suites. */
const work = mkdtempSync(join(tmpdir(), "gpu-campus-cdktf-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the synth through the cdktf CLI", () => {
  it("GIVEN the cdktf CLI WHEN it synthesizes one environment after another into the same output THEN both succeed and the manifest lists the last", () => {
    const outdir = join(work, "cli-out");
    const cdktf = (environments: string) =>
      spawnSync(join(ROOT, "node_modules/.bin/cdktf"), ["synth", "--output", outdir], {
        cwd: ROOT,
        env: { ...process.env, GPU_CAMPUS_ENVIRONMENTS: environments, CHECKPOINT_DISABLE: "1", CI: "1" },
        encoding: "utf8",
      });
    const first = cdktf("kind,staging");
    expect(first.status, first.stderr + first.stdout).toBe(0);
    const second = cdktf("staging");
    expect(second.status, second.stderr + second.stdout).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["staging-stg-c1"]);
    expect(readdirSync(join(outdir, "stacks"))).toContain("staging-stg-c1");
  }, 120_000);
});
