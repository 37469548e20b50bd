import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { reportFigure } from "./figures.js";
import { synthInto } from "./synth.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** cdktf.out of the working tree, every environment: one synth shared by every e2e suite. */
    synthDir: string;
  }
}

/**
 * One synth of every environment for the whole e2e run (~20 s here), instead of one per suite:
 * the suites read it and copy the stacks they apply into their own temporary directories, so
 * nothing here is ever written to.
 */
export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), "gpu-campus-e2e-synth-"));
  const outdir = join(work, "cdktf.out");
  const started = Date.now();
  synthInto(outdir);
  reportFigure("e2e", "synth of every environment (shared by the suites)", (Date.now() - started) / 1000);
  project.provide("synthDir", outdir);
  return () => rmSync(work, { recursive: true, force: true });
}
