import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { campusCapacity } from "../../../src/plan/capacity.js";
import { runReport } from "../../../src/review/cli/report.js";
import { planOf, ROOT } from "../../fixtures/environments.js";

describe("npm run report --no-synth", () => {
  let outdir: string;
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it("GIVEN a cdktf.out with the staging capacity summary WHEN the report runs THEN it writes campus.svg and report.md next to each capacity.json", async () => {
    // GIVEN a cdktf.out with the staging capacity summary
    outdir = mkdtempSync(join(tmpdir(), "gpu-campus-report-"));
    mkdirSync(join(outdir, "environments", "staging"), { recursive: true });
    writeFileSync(
      join(outdir, "environments", "staging", "capacity.json"),
      JSON.stringify(campusCapacity(planOf("staging"))),
    );
    // WHEN the report runs on it
    const written = await runReport({ projectDir: ROOT, outdir, synth: false });
    // THEN both files exist and the report embeds the picture
    expect(written.map((w) => w.environment)).toEqual(["staging"]);
    expect(existsSync(join(outdir, "environments", "staging", "campus.svg"))).toBe(true);
    const markdown = readFileSync(join(outdir, "environments", "staging", "report.md"), "utf8");
    expect(markdown).toContain("![campus staging](campus.svg)");
    expect(written[0]?.summary).toMatch(/^staging: [\d,]+ GPUs, [\d,]+ nodes, [\d,]+ racks in 1 building, /);
  });

  it("GIVEN an output directory with nothing to read WHEN the report runs THEN it says what is missing", async () => {
    outdir = mkdtempSync(join(tmpdir(), "gpu-campus-report-"));
    await expect(runReport({ projectDir: ROOT, outdir, synth: false })).rejects.toThrow(
      /environments does not exist: run `npm run synth` or drop --no-synth/,
    );
  });

  it("GIVEN an environment with no capacity.json WHEN the report runs for it THEN the error names the environment", async () => {
    outdir = mkdtempSync(join(tmpdir(), "gpu-campus-report-"));
    mkdirSync(join(outdir, "environments"), { recursive: true });
    await expect(runReport({ projectDir: ROOT, outdir, synth: false, environments: ["moon"] })).rejects.toThrow(
      /--env moon: no capacity.json for it/,
    );
  });
});
