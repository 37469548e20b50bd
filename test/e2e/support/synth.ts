import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..", "..");

/** Synthesizes environments with the real app (main.ts) into `outdir`; throws with its stderr on failure. */
export function synthInto(outdir: string, environments: readonly string[] = []): void {
  const args = environments.flatMap((name) => ["--env", name]);
  const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "main.ts"), ...args], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`synth failed (exit ${run.status}):\n${run.stderr}`);
}

/** Stack names from cdktf's manifest.json. */
export function stackNames(outdir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  return Object.keys(manifest.stacks).sort();
}
