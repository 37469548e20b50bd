import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { type SynthProgress, synthProgress } from "../../src/artifacts/synth-progress.js";
import { synthCampus } from "../../stacks/campus-app.js";
import { environmentData, plannedData, ROOT } from "../fixtures/environments.js";

/** A stream that says it is (or is not) a terminal, and keeps what was written. */
function terminal(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY }) as unknown as NodeJS.WriteStream;
  let written = "";
  stream.on("data", (chunk) => {
    written += chunk;
  });
  return { stream, written: () => written };
}

describe("synthProgress", () => {
  it("GIVEN a terminal WHEN a step runs THEN it returns the step's result and writes one line with its time", () => {
    const { stream, written } = terminal(true);
    expect(synthProgress({ stream }).step("staging: 1 stack(s) built", () => 42)).toBe(42);
    expect(written()).toMatch(/^gpu-campus: staging: 1 stack\(s\) built \(\d+\.\d s\)\n$/);
  });

  it.each([
    ["piped (not a TTY)", false, false],
    ["--quiet on a terminal", true, true],
  ])("GIVEN stderr %s WHEN steps run THEN nothing is written and results still come back", (_case, isTTY, quiet) => {
    const { stream, written } = terminal(isTTY);
    expect(synthProgress({ stream, quiet }).step("x", () => "done")).toBe("done");
    expect(written()).toBe("");
  });
});

describe("synthCampus with progress", () => {
  const outdir = mkdtempSync(join(tmpdir(), "gpu-campus-progress-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("GIVEN two environments WHEN synthesized THEN there is a step per environment for its stacks and its artifacts, and one for the synth", () => {
    const steps: string[] = [];
    const recording: SynthProgress = {
      step: (what, run) => {
        steps.push(what);
        return run();
      },
    };
    const kind = plannedData(environmentData("kind"), "kind.yaml");
    const second = plannedData({ ...environmentData("kind"), name: "kind2" }, "kind2.yaml");
    synthCampus(join(outdir, "cdktf.out"), [kind, second], { complete: false }, recording);
    expect(steps).toEqual([
      "kind: 1 stack(s) built",
      "kind2: 1 stack(s) built",
      "2 stack(s) synthesized and checked by the policy pack",
      "kind: artifacts written",
      "kind2: artifacts written",
    ]);
  });
});

/**
 * main.ts on a real pseudo-terminal: util-linux `script` gives the synth a TTY for stdout and
 * stderr, as a terminal would; a plain spawn is the piped case.
 */
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript) process.stdout.write("not run: synth progress on a TTY: util-linux `script` is not installed\n");

describe.skipIf(!hasScript)("main.ts progress", () => {
  const outdir = mkdtempSync(join(tmpdir(), "gpu-campus-progress-cli-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  const synth = (flags: string, tty: boolean) => {
    const command = `${process.execPath} --import tsx main.ts --env kind ${flags}`;
    const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
    return tty
      ? spawnSync("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env, encoding: "utf8" }).stdout
      : spawnSync("bash", ["-c", command], { cwd: ROOT, env, encoding: "utf8" }).stderr;
  };

  it("GIVEN a terminal THEN the synth reports each step with its time; GIVEN --quiet or a pipe THEN no progress at all", () => {
    expect(synth("", true)).toMatch(/gpu-campus: kind: 1 stack\(s\) built \(\d+\.\d s\)/);
    expect(synth("--quiet", true)).not.toContain("gpu-campus: kind:");
    expect(synth("", false)).toBe("");
  }, 180_000);
});
