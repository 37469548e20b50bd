import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * Output that appears whole or not at all: everything is written into a staging directory beside
 * the target and promoted only when all of it succeeded, so a failed synth (a policy violation, a
 * validation error) leaves the previous output untouched. Terraform's working files in existing
 * stack directories (.terraform, lock files) are kept.
 */
export function withStagedOutput<T>(outdir: string, write: (staging: string) => T): T {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    const result = write(staging);
    promote(staging, target);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function promote(staging: string, target: string): void {
  // Only what this synth produced is replaced: a narrowed synth (`--env staging`) leaves the other
  // environments' stack working directories (the cdktf CLI reads them) and artifacts alone.
  // manifest.json lists the stacks of this synth.
  for (const stack of readdirSync(join(staging, "stacks"))) {
    moveFilesInto(join(staging, "stacks", stack), join(target, "stacks", stack));
  }
  mkdirSync(join(target, "environments"), { recursive: true });
  for (const environment of readdirSync(join(staging, "environments"))) {
    rmSync(join(target, "environments", environment), { recursive: true, force: true });
    renameSync(join(staging, "environments", environment), join(target, "environments", environment));
  }
  renameSync(join(staging, "manifest.json"), join(target, "manifest.json"));
}

function moveFilesInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const destination = join(to, entry);
    if (statSync(source).isDirectory()) moveFilesInto(source, destination);
    else renameSync(source, destination);
  }
}
