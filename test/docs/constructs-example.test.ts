import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../fixtures/environments.js";

/** The "Composing a new building" example of docs/constructs.md, run as written: docs that cannot drift. */
const doc = readFileSync(join(ROOT, "docs", "constructs.md"), "utf8");
const section = doc.slice(doc.indexOf("## Composing a new building"));
const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
const outdir = mkdtempSync(join(tmpdir(), "gpu-campus-docs-"));
// Written at the project root so the example's "./src/..." imports resolve as a reader's would.
const script = join(ROOT, `.docs-example-${process.pid}.ts`);

afterAll(() => {
  rmSync(script, { force: true });
  rmSync(outdir, { recursive: true, force: true });
});

describe("docs/constructs.md", () => {
  it("GIVEN the composing example WHEN run as written THEN it synthesizes the building with its device plugin, flavor and rails", () => {
    expect(code).toContain("new Building(");
    writeFileSync(script, code);
    const run = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      env: { ...process.env, EXAMPLE_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "my-building", "cdk.tf.json"), "utf8")) as {
      resource: Record<string, Record<string, { manifest?: { kind: string } }>>;
    };
    expect(Object.keys(json.resource.kubernetes_daemon_set_v1 ?? {})).toHaveLength(1);
    const kinds = Object.values(json.resource.kubernetes_manifest ?? {}).map((r) => r.manifest?.kind);
    expect(kinds).toEqual(expect.arrayContaining(["Topology", "ResourceFlavor"]));
  });
});
