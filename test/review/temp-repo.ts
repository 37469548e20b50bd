import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../fixtures/environments.js";

/**
 * A throwaway git repository holding the project's source as it is in the working tree (tracked
 * and untracked files, minus ignored ones), with node_modules symlinked and one commit, so the
 * diff can be run against a commit the test made rather than the real repository's history.
 */
export interface TempRepo {
  readonly dir: string;
  /** Rewrites a file (path relative to the repo); the original comes back with reset(). */
  edit(file: string, change: (text: string) => string): void;
  reset(): void;
  remove(): void;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "review test",
      GIT_AUTHOR_EMAIL: "review@test.invalid",
      GIT_COMMITTER_NAME: "review test",
      GIT_COMMITTER_EMAIL: "review@test.invalid",
    },
  });

export function createTempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), "gpu-campus-review-repo-"));
  const files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    .split("\0")
    .filter((f) => f !== "" && !f.startsWith("node_modules/") && !f.startsWith("cdktf.out/"))
    .filter((f) => existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  git(dir, "init", "--quiet", "--initial-branch=main");
  // `node_modules/` in .gitignore matches directories only; the symlink needs its own entry.
  writeFileSync(join(dir, ".git", "info", "exclude"), "node_modules\ncdktf.out\n");
  git(dir, "add", "--all");
  git(dir, "commit", "--quiet", "--no-gpg-sign", "-m", "base");

  const originals = new Map<string, string>();
  return {
    dir,
    edit(file, change) {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      if (!originals.has(file)) originals.set(file, text);
      const changed = change(text);
      if (changed === text) throw new Error(`edit of ${file} changed nothing`);
      writeFileSync(path, changed);
    },
    reset() {
      for (const [file, text] of originals) writeFileSync(join(dir, file), text);
      originals.clear();
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
