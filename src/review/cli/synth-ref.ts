import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { baseDependencies } from "./base-dependencies.js";

/**
 * Synthesizes a git ref and the working tree into temporary directories, so a diff never
 * touches the user's cdktf.out. The ref is checked out in a temporary `git worktree` linked to its
 * own dependencies (base-dependencies.ts: the working tree's node_modules when the lockfiles are
 * equal, else a cached `npm ci` of the base's lockfile), so a dependency bump shows in the diff.
 */

const run = promisify(execFile);

export class SynthFailedError extends Error {
  constructor(
    readonly side: "base" | "working tree",
    readonly detail: string,
  ) {
    super(`${side} failed to synthesize:\n${detail}`);
  }
}

export interface SynthOptions {
  /** Extra arguments for main.ts, e.g. `["--env", "production"]`. */
  readonly synthArgs?: readonly string[];
  /** Kill a synth that runs longer than this. @default - 120 s */
  readonly timeoutMs?: number;
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, maxBuffer: 16 << 20 });
  return stdout.trim();
}

export async function projectRoot(cwd: string): Promise<string> {
  try {
    return await git(cwd, ["rev-parse", "--show-toplevel"]);
  } catch {
    throw new Error(`${cwd} is not inside a git repository: the diff compares against a git ref`);
  }
}

/** The commit a ref names, or an error that says the ref is unknown. */
export async function resolveRef(root: string, ref: string): Promise<string> {
  try {
    return await git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new Error(`--base ${ref}: not a commit in ${root} (try a branch, a tag or a sha; fetch it first in CI)`);
  }
}

/** Runs the project's `main.ts` in `cwd` with CDKTF_OUTDIR=`outdir`. */
async function synthInto(
  cwd: string,
  outdir: string,
  nodeModules: string,
  side: SynthFailedError["side"],
  options: SynthOptions,
): Promise<void> {
  const tsx = join(nodeModules, ".bin", "tsx");
  if (!existsSync(tsx)) throw new Error(`${tsx} not found: run \`npm ci\` first`);
  if (!existsSync(join(cwd, "main.ts"))) throw new SynthFailedError(side, `${cwd} has no main.ts`);
  try {
    await run(tsx, ["main.ts", ...(options.synthArgs ?? [])], {
      cwd,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message?: string; killed?: boolean };
    const output = `${e.stderr ?? ""}${e.stdout ?? ""}`.trim() || e.message || String(error);
    const tail = output.split("\n").slice(-30).join("\n");
    throw new SynthFailedError(side, e.killed ? `timed out\n${tail}` : tail);
  }
}

export interface SynthesizedPair {
  readonly baseDir: string;
  readonly headDir: string;
  readonly baseSha: string;
  /** Removes the worktree and the temporary directories. */
  readonly cleanup: () => Promise<void>;
}

/** Synthesizes `ref` in a temporary worktree. The caller removes `dir` with `cleanup`. */
export async function synthesizeRef(
  root: string,
  ref: string,
  options: SynthOptions = {},
): Promise<{ dir: string; sha: string; cleanup: () => Promise<void> }> {
  const sha = await resolveRef(root, ref);
  const temp = mkdtempSync(join(tmpdir(), "gpu-campus-base-"));
  const worktree = join(temp, "src");
  const cleanup = async () => {
    await git(root, ["worktree", "remove", "--force", worktree]).catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
    await git(root, ["worktree", "prune"]).catch(() => undefined);
  };
  try {
    await git(root, ["worktree", "add", "--detach", "--quiet", worktree, sha]);
    const { nodeModules, source } = await baseDependencies(root, worktree);
    if (source !== "working tree")
      process.stderr.write(`diff: the base's own dependencies (${source}): ${nodeModules}\n`);
    // A checkout may already hold a node_modules entry (a committed symlink): use it as it is.
    if (!existsSync(join(worktree, "node_modules"))) symlinkSync(nodeModules, join(worktree, "node_modules"), "dir");
    await synthInto(worktree, join(temp, "out"), nodeModules, "base", options);
    return { dir: join(temp, "out"), sha, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Synthesizes the working tree as it is (uncommitted edits included) into a temporary directory. */
export async function synthesizeWorkingTree(
  root: string,
  options: SynthOptions = {},
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const temp = mkdtempSync(join(tmpdir(), "gpu-campus-head-"));
  const cleanup = async () => rmSync(temp, { recursive: true, force: true });
  try {
    await synthInto(root, join(temp, "out"), join(root, "node_modules"), "working tree", options);
    return { dir: join(temp, "out"), cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Both sides at once: the two synths run in parallel (one per core on a 2-core machine). */
export async function synthesizePair(root: string, base: string, options: SynthOptions = {}): Promise<SynthesizedPair> {
  const [baseResult, headResult] = await Promise.allSettled([
    synthesizeRef(root, base, options),
    synthesizeWorkingTree(root, options),
  ]);
  const cleanups = [baseResult, headResult].flatMap((r) => (r.status === "fulfilled" ? [r.value.cleanup] : []));
  const cleanup = async () => {
    for (const c of cleanups) await c();
  };
  if (baseResult.status === "rejected" || headResult.status === "rejected") {
    await cleanup();
    throw baseResult.status === "rejected" ? baseResult.reason : (headResult as PromiseRejectedResult).reason;
  }
  return { baseDir: baseResult.value.dir, headDir: headResult.value.dir, baseSha: baseResult.value.sha, cleanup };
}
