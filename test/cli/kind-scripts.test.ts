import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../fixtures/environments.js";

// A PATH with bash and coreutils but none of kind, kubectl, docker: what a fresh laptop has.
const bin = mkdtempSync(join(tmpdir(), "gpu-campus-path-"));
for (const tool of ["bash", "sed", "head", "dirname", "env"]) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe.each(["kind-up.sh", "kind-down.sh"])("scripts/%s", (script) => {
  it("GIVEN no kind, kubectl or docker on PATH THEN it names all three and exits 1 before doing anything", () => {
    const run = spawnSync("/usr/bin/bash", [join(ROOT, "scripts", script)], {
      env: { PATH: bin, HOME: bin },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("kind: missing kind kubectl docker");
  });
});
