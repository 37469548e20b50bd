import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The node_modules a base ref is synthesized with: its own dependencies, so a dependency bump
 * (cdktf, the kubernetes provider bindings) shows up in the diff. When the base's lockfile is the
 * working tree's, the working tree's node_modules is the same install and is reused; otherwise an
 * `npm ci` of the base's package.json and lockfile runs once into a cache keyed by the lockfile's
 * hash (~/.cache/gpu-campus/node-modules/<sha256>/), which later diffs against that base reuse.
 */
export interface BaseDependencies {
  /** The node_modules directory to link into the base worktree. */
  readonly nodeModules: string;
  /** How it was obtained, for the diff's log. */
  readonly source: "working tree" | "cache" | "npm ci";
}

export interface BaseDependenciesOptions {
  /** Cache root. @default - $GPU_CAMPUS_CACHE, else ~/.cache/gpu-campus */
  readonly cacheDir?: string;
}

export function lockfileHash(projectDir: string): string | undefined {
  const lockfile = join(projectDir, "package-lock.json");
  return existsSync(lockfile) ? createHash("sha256").update(readFileSync(lockfile)).digest("hex") : undefined;
}

export async function baseDependencies(
  root: string,
  worktree: string,
  options: BaseDependenciesOptions = {},
): Promise<BaseDependencies> {
  const baseHash = lockfileHash(worktree);
  if (baseHash === undefined || baseHash === lockfileHash(root)) {
    return { nodeModules: join(root, "node_modules"), source: "working tree" };
  }
  const cacheRoot = options.cacheDir ?? process.env.GPU_CAMPUS_CACHE ?? join(homedir(), ".cache", "gpu-campus");
  const entry = join(cacheRoot, "node-modules", baseHash);
  const nodeModules = join(entry, "node_modules");
  if (existsSync(join(entry, ".complete"))) return { nodeModules, source: "cache" };

  // Installed beside the entry and renamed into place when complete, so a diff killed halfway or
  // a second diff running at the same time never sees half an install.
  const partial = `${entry}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(worktree, file), join(partial, file));
  try {
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: partial,
      maxBuffer: 16 << 20,
      timeout: 15 * 60_000,
    });
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const e = error as { stderr?: string; message?: string };
    throw new Error(`npm ci of the base ref's lockfile failed:\n${(e.stderr ?? e.message ?? String(error)).trim()}`);
  }
  mkdirSync(join(partial, "node_modules"), { recursive: true });
  copyFileSync(join(partial, "package-lock.json"), join(partial, ".complete"));
  try {
    renameSync(partial, entry);
  } catch {
    // Another diff finished the same install first: keep its copy.
    rmSync(partial, { recursive: true, force: true });
  }
  return { nodeModules, source: "npm ci" };
}
