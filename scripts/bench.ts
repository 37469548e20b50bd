/**
 * Benchmark of the synth app: runs `main.ts` for all three shipped environments (production's
 * ~100,000 node records included) several times in fresh processes and prints the median wall
 * time, CPU time and peak memory, with the targets (3 s wall, 512 MB). Figures, not a pass/fail
 * unit test: machines here are shared and noisy, so medians count, and `--against <git-ref>` runs
 * that commit in a temporary worktree interleaved with this one, so both see the same load and
 * their ratio means something even when the absolute figures do not.
 *   npm run bench [-- --runs 7] [--against d5506b6]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const USAGE = `usage: npm run bench -- [--runs N] [--against <git-ref>]

  --runs N             runs per side (default 5)
  --against <ref>      also run <ref> (in a temporary git worktree), interleaved, and print the ratio`;

const root = join(import.meta.dirname, "..");
function parseFlags() {
  try {
    return parseArgs({
      options: {
        runs: { type: "string", default: "5" },
        against: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  }
}
const values = parseFlags();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const runs = Number.parseInt(values.runs, 10);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench: --runs ${values.runs}: needs a positive whole number\n\n${USAGE}\n`);
  process.exit(2);
}

const TARGET_SECONDS = 3;
const TARGET_MB = 512;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** What one run produced: stacks and node records, so the figures say what was measured. */
function countOutput(outdir: string): { stacks: number; nodes: number } {
  const stacks = readdirSync(join(outdir, "stacks")).length;
  let nodes = 0;
  for (const env of readdirSync(join(outdir, "environments"))) {
    const dir = join(outdir, "environments", env, "nodes");
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8");
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) nodes++;
    }
  }
  return { stacks, nodes };
}

interface Side {
  readonly label: string;
  readonly dir: string;
  readonly wall: number[];
  readonly cpu: number[];
  readonly mb: number[];
  produced: { stacks: number; nodes: number };
}

function runOnce(side: Side, index: number): void {
  const outdir = mkdtempSync(join(tmpdir(), "gpu-campus-bench-"));
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", join(root, "scripts/bench/peak-memory.mjs"), join(side.dir, "main.ts")],
    {
      cwd: side.dir,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      encoding: "utf8",
    },
  );
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  try {
    if (run.status !== 0) {
      process.stderr.write(run.stderr);
      throw new Error(`${side.label}: synth failed (exit ${run.status}) on run ${index + 1}`);
    }
    side.produced = countOutput(outdir);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  const report = JSON.parse(String(run.output[3]).trim()) as { maxRssKiB: number; cpuSeconds?: number };
  side.wall.push(elapsed);
  side.cpu.push(report.cpuSeconds ?? Number.NaN);
  side.mb.push(report.maxRssKiB / 1024);
  process.stdout.write(
    `${side.label} run ${index + 1}/${runs}: ${elapsed.toFixed(2)} s wall, ${(report.cpuSeconds ?? Number.NaN).toFixed(2)} s CPU, ` +
      `${(report.maxRssKiB / 1024).toFixed(0)} MB peak RSS\n`,
  );
}

const newSide = (label: string, dir: string): Side => ({
  label,
  dir,
  wall: [],
  cpu: [],
  mb: [],
  produced: { stacks: 0, nodes: 0 },
});
const sides: Side[] = [newSide("this tree", root)];
let worktree: string | undefined;
if (values.against) {
  worktree = mkdtempSync(join(tmpdir(), "gpu-campus-bench-base-"));
  execFileSync("git", ["worktree", "add", "--detach", "--quiet", join(worktree, "src"), values.against], { cwd: root });
  const base = join(worktree, "src");
  if (!existsSync(join(base, "node_modules")))
    symlinkSync(join(root, "node_modules"), join(base, "node_modules"), "dir");
  sides.push(newSide(values.against, base));
}
try {
  for (let i = 0; i < runs; i++) for (const side of sides) runOnce(side, i);
} finally {
  if (worktree) {
    execFileSync("git", ["worktree", "remove", "--force", join(worktree, "src")], { cwd: root });
    rmSync(worktree, { recursive: true, force: true });
  }
}

const lines = [""];
for (const side of sides) {
  const wall = median(side.wall);
  const memory = median(side.mb);
  lines.push(
    `${side.label}: synth of every shipped environment: ${side.produced.stacks} stacks, ${side.produced.nodes.toLocaleString("en-US")} node records, fresh process per run`,
    `  median wall  ${wall.toFixed(2)} s   (min ${Math.min(...side.wall).toFixed(2)}, max ${Math.max(...side.wall).toFixed(2)}; target < ${TARGET_SECONDS} s, ${(wall / TARGET_SECONDS).toFixed(2)} of it)`,
    `  median CPU   ${median(side.cpu).toFixed(2)} s   (user + system of the synth process)`,
    `  median peak  ${memory.toFixed(0)} MB  (min ${Math.min(...side.mb).toFixed(0)}, max ${Math.max(...side.mb).toFixed(0)}; target < ${TARGET_MB} MB, ${(memory / TARGET_MB).toFixed(2)} of it)`,
  );
}
const [head, base] = sides;
if (head && base) {
  lines.push(
    `ratio this tree / ${base.label}: wall ${(median(head.wall) / median(base.wall)).toFixed(2)}, CPU ${(median(head.cpu) / median(base.cpu)).toFixed(2)}, peak ${(median(head.mb) / median(base.mb)).toFixed(2)}`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
