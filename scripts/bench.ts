/**
 * Benchmark of the synth app: runs `main.ts` for all three shipped environments (production's
 * ~100,000 node records included) several times in fresh processes and prints the median wall
 * time and peak memory, with the targets (6 s, 512 MB). Figures, not a pass/fail unit test:
 * machines here are shared and noisy, so the median of several runs is what counts.
 *   npm run bench [-- --runs 7]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const BENCH_USAGE = `usage: npm run bench -- [--runs <n>] [--help]

Synthesizes all shipped environments <n> times (default 5) in fresh processes and prints the
median wall time and peak memory against the targets.`;

function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${BENCH_USAGE}\n`);
  process.exit(2);
}

let flags: ReturnType<typeof parseBenchFlags>;
function parseBenchFlags() {
  return parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: false,
    options: { runs: { type: "string" }, help: { type: "boolean", short: "h" } },
  }).values;
}
try {
  flags = parseBenchFlags();
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error));
}
if (flags.help) {
  process.stdout.write(`${BENCH_USAGE}\n`);
  process.exit(0);
}
const root = join(import.meta.dirname, "..");
const runs = flags.runs === undefined ? 5 : Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) usageError("--runs needs a whole number from 1 to 100");

const TARGET_SECONDS = 6;
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

let produced = { stacks: 0, nodes: 0 };
const seconds: number[] = [];
const megabytes: number[] = [];
for (let i = 0; i < runs; i++) {
  const outdir = mkdtempSync(join(tmpdir(), "gpu-campus-bench-"));
  const start = process.hrtime.bigint();
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "--import", join(root, "scripts/bench/peak-memory.mjs"), join(root, "main.ts")],
    {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      encoding: "utf8",
    },
  );
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) {
    rmSync(outdir, { recursive: true, force: true });
    process.stderr.write(run.stderr);
    throw new Error(`synth failed (exit ${run.status}) on run ${i + 1}`);
  }
  produced = countOutput(outdir);
  rmSync(outdir, { recursive: true, force: true });
  const report = JSON.parse(String(run.output[3]).trim()) as { maxRssKiB: number };
  seconds.push(elapsed);
  megabytes.push(report.maxRssKiB / 1024);
  process.stdout.write(
    `run ${i + 1}/${runs}: ${elapsed.toFixed(2)} s wall, ${(report.maxRssKiB / 1024).toFixed(0)} MB peak RSS\n`,
  );
}

const wall = median(seconds);
const memory = median(megabytes);
process.stdout.write(
  [
    "",
    `synth of every shipped environment: ${produced.stacks} stacks, ${produced.nodes.toLocaleString("en-US")} node records, fresh process per run`,
    `median wall  ${wall.toFixed(2)} s   (min ${Math.min(...seconds).toFixed(2)}, max ${Math.max(...seconds).toFixed(2)}; target < ${TARGET_SECONDS} s, ${(wall / TARGET_SECONDS).toFixed(2)} of it)`,
    `median peak  ${memory.toFixed(0)} MB  (min ${Math.min(...megabytes).toFixed(0)}, max ${Math.max(...megabytes).toFixed(0)}; target < ${TARGET_MB} MB, ${(memory / TARGET_MB).toFixed(2)} of it)`,
    "",
  ].join("\n"),
);
