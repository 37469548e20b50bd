import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BaseSynthError, DIFF_USAGE, diffMain, EXIT_BASE_FAILED, runDiff } from "../../../src/review/cli/diff.js";
import { ROOT } from "../../fixtures/environments.js";

function captureStderr() {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join(""), restore: () => spy.mockRestore() };
}

describe("npm run diff arguments", () => {
  afterEach(() => vi.restoreAllMocks());

  it("GIVEN an unknown option WHEN npm run diff starts THEN it is rejected with the usage and exit 1", async () => {
    const stderr = captureStderr();
    const code = await diffMain(["--bogus"]);
    stderr.restore();
    expect(code).toBe(1);
    expect(stderr.text()).toContain("Unknown option '--bogus'");
    expect(stderr.text()).toContain(DIFF_USAGE.split("\n")[0]);
  });

  it("GIVEN a base ref that is not a commit WHEN npm run diff starts THEN the error names it and it exits 1", async () => {
    const stderr = captureStderr();
    const code = await diffMain(["--base", "no-such-ref-anywhere"]);
    stderr.restore();
    expect(code).toBe(1);
    expect(stderr.text()).toContain("--base no-such-ref-anywhere: not a commit in");
  });

  it("GIVEN an unknown format WHEN npm run diff starts THEN it is rejected with exit 1", async () => {
    const stderr = captureStderr();
    const code = await diffMain(["--format", "html", "--base", "no-such-ref-anywhere"]);
    stderr.restore();
    expect(code).toBe(1);
  });
});

describe("a base ref that does not synthesize", () => {
  it("GIVEN a base ref whose main.ts fails WHEN diffed THEN it is reported as such, with the synth's own error, and exit 3 from the CLI", async () => {
    // GIVEN a repository whose committed main.ts fails
    const dir = mkdtempSync(join(tmpdir(), "gpu-campus-broken-"));
    try {
      const git = (...args: string[]) =>
        execFileSync("git", args, {
          cwd: dir,
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: "t",
            GIT_AUTHOR_EMAIL: "t@t.invalid",
            GIT_COMMITTER_NAME: "t",
            GIT_COMMITTER_EMAIL: "t@t.invalid",
          },
        });
      writeFileSync(join(dir, "main.ts"), 'throw new Error("environment b9: broken on purpose");\n');
      symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      writeFileSync(join(dir, ".gitignore"), "node_modules\n");
      git("init", "--quiet");
      git("add", "--all");
      git("commit", "--quiet", "--no-gpg-sign", "-m", "broken");
      // WHEN the diff runs against it THEN the error says the base failed, and why
      const run = runDiff({ projectDir: dir, base: "HEAD", format: "markdown" });
      await expect(run).rejects.toBeInstanceOf(BaseSynthError);
      await expect(run).rejects.toThrow(/the base ref HEAD failed to synthesize[\s\S]*broken on purpose/);
      const cwd = process.cwd();
      const stderr = captureStderr();
      process.chdir(dir);
      try {
        expect(await diffMain(["--base", "HEAD"])).toBe(EXIT_BASE_FAILED);
      } finally {
        process.chdir(cwd);
        stderr.restore();
      }
      expect(stderr.text()).toMatch(/^gpu-campus diff: the base ref HEAD failed to synthesize/);
      // AND the temporary worktree is gone
      expect(execFileSync("git", ["worktree", "list"], { cwd: dir, encoding: "utf8" }).trim().split("\n")).toHaveLength(
        1,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
