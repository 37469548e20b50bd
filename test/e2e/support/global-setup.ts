import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
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
  process.stdout.write(`e2e: synthesized every environment in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide("synthDir", outdir);
  return () => rmSync(work, { recursive: true, force: true });
}
