import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildCampusPlan } from "../../src/plan/campus-plan.js";
import { campusCapacity } from "../../src/plan/capacity.js";
import { EXIT_DESTROY, runDiff } from "../../src/review/cli/diff.js";
import { synthesizeRef, synthesizeWorkingTree } from "../../src/review/cli/synth-ref.js";
import { diffSynthOutputs } from "../../src/review/diff/synth-diff.js";
import { readSynthOutput } from "../../src/review/read/synth-output.js";
import { formatNumber } from "../../src/review/render/format.js";
import { renderMarkdown } from "../../src/review/render/render-markdown.js";
import { loadData } from "../fixtures/environments.js";
import { createTempRepo, type TempRepo } from "../review/temp-repo.js";

/**
 * The diff on real changes: a temporary git repository with the project's source and one commit,
 * an edit per case, both sides synthesized by the real main.ts. The base commit is synthesized
 * once and shared; two cases run the whole `npm run diff` path (worktree and all).
 */

const PRODUCTION = "environments/production.yaml";

let repo: TempRepo;
let base: Awaited<ReturnType<typeof synthesizeRef>>;
let artifacts: string;

beforeAll(async () => {
  repo = createTempRepo();
  base = await synthesizeRef(repo.dir, "HEAD");
  artifacts = mkdtempSync(join(tmpdir(), "gpu-campus-review-artifacts-"));
}, 120_000);

afterEach(() => repo.reset());

afterAll(async () => {
  await base?.cleanup();
  repo?.remove();
  if (artifacts) rmSync(artifacts, { recursive: true, force: true });
});

/** Synthesizes the edited working tree and compares it with the shared base synth. */
async function diffWorkingTree() {
  const head = await synthesizeWorkingTree(repo.dir);
  try {
    const report = diffSynthOutputs(readSynthOutput(base.dir), readSynthOutput(head.dir), {
      before: "`HEAD`",
      after: "working tree",
    });
    return { report, markdown: renderMarkdown(report) };
  } finally {
    await head.cleanup();
  }
}

/** The production YAML with the last building copied as `b9`, text-edited so comments stay. */
function addNinthBuilding(text: string): string {
  const start = text.lastIndexOf("\n  - id: b8");
  const end = text.indexOf("\nfabric:");
  const block = text
    .slice(start, end)
    .replace("- id: b8", "- id: b9")
    .replace(/phase: \d+/, "phase: 3");
  return `${text.slice(0, end)}${block}${text.slice(end)}`.replace(/gridPowerMW: \d+/, "gridPowerMW: 1400");
}

describe("npm run diff on fixture changes", () => {
  it("GIVEN production with a ninth building WHEN diffed THEN the summary shows its GPUs, nodes and MW and its new stacks", async () => {
    // GIVEN production with a ninth building
    repo.edit(PRODUCTION, addNinthBuilding);
    const expected = campusCapacity(buildCampusPlan(loadData(parse(addNinthBuilding(readProduction()))).spec));
    const b9 = expected.buildings.find((b) => b.id === "b9");
    const newStacks = expected.clusters.filter((c) => c.buildings.some((s) => s.id === "b9")).map((c) => c.stack);
    if (!b9) throw new Error("b9 was not planned");
    // WHEN the whole diff runs against HEAD
    const result = await runDiff({ projectDir: repo.dir, base: "HEAD", format: "markdown", artifactsDir: artifacts });
    // THEN the summary names the building with its figures, and the new stacks
    expect(result.text).toContain(
      `new building b9 (${formatNumber(b9.gpus)} GPUs, ${formatNumber(b9.nodes)} nodes, ${formatNumber(b9.itPowerMW, 1)} MW IT)`,
    );
    expect(result.text).toContain(`${newStacks.length} new stacks: ${newStacks.join(", ")}`);
    for (const s of newStacks) expect(result.text).toContain(`| <code>${s}</code> | production | **added** |`);
    expect(result.text).toContain(`| b9 | added | ${formatNumber(b9.gpus)} | ${formatNumber(b9.nodes)} |`);
    expect(result.report.destroys).toEqual([]);
    expect(result.exitCode).toBe(0);
    // AND it drew the campus before and after, next to the report
    expect(existsSync(join(artifacts, "campus-production-after.svg"))).toBe(true);
    expect(result.text).toContain("campus-production-before.svg");
  }, 120_000);

  it("GIVEN a device plugin version bump WHEN diffed THEN every DaemonSet is updated in place", async () => {
    repo.edit("src/catalog/nvidia-device-plugin.ts", (text) =>
      text.replace(/version: "v\d+\.\d+\.\d+"/, 'version: "v9.9.9"'),
    );
    const { report, markdown } = await diffWorkingTree();
    const daemonSets = report.stacks.flatMap((s) => s.resources).filter((r) => r.type === "kubernetes_daemon_set_v1");
    expect(daemonSets.length).toBeGreaterThan(0);
    expect(daemonSets.every((r) => r.action === "update")).toBe(true);
    expect(markdown).toMatch(
      /\| <code>spec\.template\.spec\.container\[0\]\.image<\/code> \| <code>nvcr\.io\/nvidia\/k8s-device-plugin:v[\d.]+<\/code> \| <code>nvcr\.io\/nvidia\/k8s-device-plugin:v9\.9\.9<\/code> \|/,
    );
    expect(markdown).toContain("No change to capacity in any environment.");
    expect(report.destroys).toEqual([]);
  }, 120_000);

  it("GIVEN a shrunk pool WHEN diffed THEN the building's lost capacity is shown", async () => {
    repo.edit(PRODUCTION, (text) => text.replace(/(- id: b1\n(?:.*\n)*?\s+racks: )664/, "$1600"));
    const { report, markdown } = await diffWorkingTree();
    const delta = report.capacity.find((c) => c.environment === "production");
    const gpus = delta?.buildings.find((b) => b.id === "b1")?.metrics.find((m) => m.label === "GPUs");
    expect(gpus).toMatchObject({ before: 47_808, after: 43_200 });
    expect(markdown).toContain(
      "| b1 | changed | 47,808 → 43,200 (−4,608) | 11,952 → 10,800 (−1,152) | 664 → 600 (−64) |",
    );
    // 8 units fewer at the GB200 SuperPOD RA's 1.2 MW each; shrinking the last pool moves no unit.
    expect(markdown).toContain("building b1 −4,608 GPUs, −1,152 nodes, −9.6 MW IT");
    expect(delta?.unitMoves).toBeUndefined();
  }, 120_000);

  it("GIVEN a tenant's dataset volume removed WHEN diffed THEN a destroy warning is at the top and --fail-on-destroy fails", async () => {
    repo.edit(PRODUCTION, (text) => text.replace(/(- id: research\n(?:.*\n)*?)\s+datasetVolumeTiB: \d+\n/, "$1"));
    const result = await runDiff({
      projectDir: repo.dir,
      base: "HEAD",
      format: "markdown",
      failOnDestroy: true,
      artifactsDir: artifacts,
    });
    expect(result.exitCode).toBe(EXIT_DESTROY);
    const volumes = result.report.destroys.filter((d) => d.kind === "data-volume");
    expect(volumes.length).toBeGreaterThan(0);
    expect(volumes.every((d) => d.object?.startsWith("PersistentVolumeClaim research/"))).toBe(true);
    // The warning is the first thing after the title.
    const lines = result.text.split("\n");
    const caution = lines.indexOf("> [!CAUTION]");
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(lines.indexOf("### Summary"));
    expect(result.text).toMatch(
      /> - 🛑 \*\*data volume\*\* · <code>production-b1-c1<\/code> · <code>kubernetes_persistent_volume_claim_v1\.[^<]+<\/code>: PersistentVolumeClaim research\/[a-z-]+ would be destroyed: its data is lost/,
    );
  }, 120_000);

  it("GIVEN a renamed environment WHEN diffed THEN its stacks are removed and new ones added, with the stack listed as a destroy", async () => {
    repo.edit("environments/staging.yaml", (text) => text.replace(/^name: staging$/m, "name: stage"));
    const { report, markdown } = await diffWorkingTree();
    expect(report.stacks.filter((s) => s.status === "removed").map((s) => s.stack)).toEqual(["staging-stg-c1"]);
    expect(report.stacks.filter((s) => s.status === "added").map((s) => s.stack)).toEqual(["stage-stg-c1"]);
    expect(markdown).toContain("| <code>staging-stg-c1</code> | staging | **removed** |");
    expect(markdown).toContain("| <code>stage-stg-c1</code> | stage | **added** |");
    expect(report.destroys[0]).toMatchObject({ kind: "stack", stack: "staging-stg-c1" });
    expect(report.destroys[0]?.message).toMatch(/stage-stg-c1 is added with the same resources: if this is a rename/);
  }, 120_000);
});

/** The committed production YAML, before any edit of the running case. */
function readProduction(): string {
  return execFileSync("git", ["show", `HEAD:${PRODUCTION}`], { cwd: repo.dir, encoding: "utf8" });
}
