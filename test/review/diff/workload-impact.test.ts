import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EnvironmentInput } from "../../../src/model/schema.js";
import { diffSynthOutputs } from "../../../src/review/diff/synth-diff.js";
import type { ReviewReport } from "../../../src/review/model.js";
import { readSynthOutput, type SynthOutput } from "../../../src/review/read/synth-output.js";
import { renderMarkdown } from "../../../src/review/render/render-markdown.js";
import { synthCampus } from "../../../stacks/campus-app.js";
import { environmentData, plannedData } from "../../fixtures/environments.js";

/**
 * Staging synthesized for real (in-process, one stack each) as it ships and after edits a PR
 * would make, then diffed: what the summary tells a reviewer beyond the resource diff.
 */
const temp = mkdtempSync(join(tmpdir(), "gpu-campus-impact-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function synthesized(name: string, data: EnvironmentInput) {
  const outdir = join(temp, name);
  synthCampus(outdir, [plannedData(data, "staging.yaml")]);
  return readSynthOutput(outdir);
}

const labels = { before: "main", after: "working tree" };
let edited: ReviewReport;
let renamed: ReviewReport;
/** The same two sides as they would read from a commit older than capacity.json's tenant records. */
let editedWithoutPlannedQuotas: ReviewReport;

const withoutPlannedQuotas = (output: SynthOutput): SynthOutput => ({
  ...output,
  capacity: new Map(
    [...output.capacity].map(([environment, raw]) => {
      const file = structuredClone(raw) as { clusters: { tenants?: unknown }[] };
      for (const cluster of file.clusters) delete cluster.tenants;
      return [environment, file];
    }),
  ),
});

beforeAll(() => {
  const shipped = environmentData("staging");
  const base = synthesized("base", shipped);
  const [building] = shipped.buildings;
  const [pool] = building?.pools ?? [];
  if (!building || !pool) throw new Error("staging has no pool");
  const tenants = shipped.tenants ?? [];
  const withChanges: EnvironmentInput = {
    ...shipped,
    buildings: [
      {
        ...building,
        pools: [{ ...pool, devicePlugin: { sharing: { strategy: "timeSlicing", replicas: 4 } } }],
      },
    ],
    tenants: [
      ...tenants.map((t) => (t.id === "inference-canary" ? { ...t, gpuQuota: 144, datasetVolumeTiB: 40 } : t)),
      { id: "research", gpuQuota: 144, datasetVolumeTiB: 10 },
    ],
  };
  const editedOutput = synthesized("edited", withChanges);
  edited = diffSynthOutputs(base, editedOutput, labels);
  editedWithoutPlannedQuotas = diffSynthOutputs(withoutPlannedQuotas(base), withoutPlannedQuotas(editedOutput), labels);
  const withRename: EnvironmentInput = { ...shipped, buildings: [{ ...building, id: "stg1" }] };
  renamed = diffSynthOutputs(base, synthesized("renamed", withRename), labels);
}, 120_000);

describe("workload impacts in the diff summary", () => {
  it("GIVEN time-slicing ×4 on staging's GB200 pool THEN the summary says nodes advertise 16 GPUs instead of 4 and the plugin restarts on all 288 nodes", () => {
    const line = edited.impacts?.find((i) => i.startsWith("GPU sharing"));
    expect(line).toBe(
      "GPU sharing no sharing → time-slicing ×4 on pool stg-gb200 of staging-stg-c1: each node advertises 16 nvidia.com/gpu instead of 4; 1,152 → 4,608 (+3,456) advertised. " +
        "The device plugin restarts on all 288 nodes of the pool (its DaemonSet's config hash changes); a node takes no new GPU pods until its plugin has re-registered.",
    );
  });

  it("GIVEN a new tenant and a smaller quota THEN the summary names the tenant, the quota change and the new total, in GPUs as planned", () => {
    // The plan's quotas (capacity.json), not the ResourceQuotas: those count advertised units
    // (time-slicing ×4 in the same edit) and, with Kueue, the quota plus what a tenant may borrow.
    // platform-tests keeps its 576, so it is not named.
    expect(edited.impacts).toContain(
      "staging: tenant inference-canary GPU quota 288 → 144 (−144) · new tenant research (GPU quota 144) · GPU quota total 864 → 864 (±0)",
    );
  });

  it("GIVEN outputs older than capacity.json's tenant records WHEN diffed THEN the quotas are read from the ResourceQuotas, as those stacks wrote them", () => {
    // This tree's ResourceQuotas, standing in for an old one's: advertised units (time-slicing ×4)
    // and, with Kueue, the quota plus what the tenant may borrow (platform-tests: 576 + 288).
    expect(editedWithoutPlannedQuotas.impacts).toContain(
      "staging: tenant inference-canary GPU quota 288 → 576 (+288) · tenant platform-tests GPU quota 864 → 3,456 (+2,592) · new tenant research (GPU quota 4,608) · GPU quota total 1,152 → 8,640 (+7,488)",
    );
  });

  it("GIVEN a grown and a new dataset volume THEN the summary lists both and the volumes' total", () => {
    expect(edited.impacts).toContain(
      "staging: volume inference-canary/dataset 20 TiB → 40 TiB · new volume research/dataset 10 TiB · volumes total 320 TiB → 350 TiB",
    );
  });

  it("GIVEN the same WHEN rendered as Markdown THEN the lines sit in the summary, above the capacity section", () => {
    const markdown = renderMarkdown(edited);
    const users = markdown.indexOf("**For the campus's users**");
    expect(users).toBeGreaterThan(markdown.indexOf("### Summary"));
    expect(markdown.slice(users)).toContain("- GPU sharing no sharing → time-slicing ×4");
  });

  it("GIVEN building stg renamed stg1 THEN a probable-rename line leads the impacts and the stack's destroy warning points at the renamed stack", () => {
    expect(renamed.impacts?.[0]).toMatch(
      /^staging: probable rename of building stg → stg1 .*Its stacks are replaced \(staging-stg-c1 → staging-stg1-c1\)/,
    );
    const stackWarning = renamed.destroys.find((d) => d.kind === "stack");
    expect(stackWarning?.message).toContain("staging-stg1-c1 is added with the same resources: if this is a rename");
  });

  it("GIVEN the rename WHEN rendered as Markdown THEN the inline campus picture shows stg1 new and stg removed", () => {
    const markdown = renderMarkdown(renamed);
    expect(markdown).toContain("**staging campus**");
    expect(markdown).toMatch(/\| stg1 \| \*\*new\*\* \| <code>▲+·*<\/code> \| 16 \/ 24 \| 1,152 \|/);
    expect(markdown).toMatch(/\| stg \| ~~removed~~ \| <code>▽+·*<\/code> \|/);
  });
});
