/**
 * Benchmark of the scheduling twin at production scale: runs `npm run twin` on production b1-c1
 * (4,320 trays, 17,280 GPUs) and prints the four figures against the 5-minute target: control
 * plane up, nodes Ready, stack applied, all pods bound. Figures, not a pass/fail test: the
 * machine is shared and noisy.
 *   npm run bench:twin [-- --env production --cluster b1-c1]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TwinReport } from "../src/engine/twin-report.js";

const root = join(import.meta.dirname, "..");
const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? fallback;
};
const TARGET_SECONDS = 300;
const work = mkdtempSync(join(tmpdir(), "gpu-campus-bench-twin-"));
const reportPath = join(work, "twin-report.json");
const run = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    join(root, "scripts/twin.ts"),
    "--env",
    flag("--env", "production"),
    "--cluster",
    flag("--cluster", "b1-c1"),
    "--report",
    reportPath,
  ],
  { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
);
let report: TwinReport;
try {
  report = JSON.parse(readFileSync(reportPath, "utf8")) as TwinReport;
} catch {
  process.stderr.write(`bench:twin: the twin wrote no report (exit ${run.status})\n`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
const t = report.timings;
const toBound =
  t.controlPlaneUpSeconds + t.nodesReadySeconds + t.kueueUpSeconds + t.stackAppliedSeconds + t.allPodsBoundSeconds;
const rows: [string, number][] = [
  ["control plane up", t.controlPlaneUpSeconds],
  ["nodes Ready", t.controlPlaneUpSeconds + t.nodesReadySeconds],
  ["stack applied", t.controlPlaneUpSeconds + t.nodesReadySeconds + t.kueueUpSeconds + t.stackAppliedSeconds],
  ["all pods bound", toBound],
];
process.stdout.write(
  `\n${report.environment}/${report.cluster}: ${report.nodes} nodes, ${report.gpus} GPUs (seconds since start)\n`,
);
for (const [what, at] of rows) process.stdout.write(`  ${what.padEnd(18)} ${at.toFixed(1).padStart(7)} s\n`);
process.stdout.write(
  `  GPU utilisation ${(report.summary.gpuUtilisation * 100).toFixed(1)} %, ${report.summary.podsPerSecond.toFixed(1)} pods/s; ` +
    `target: all pods bound ≤ ${TARGET_SECONDS} s: ${toBound <= TARGET_SECONDS ? "met" : `missed by ${(toBound - TARGET_SECONDS).toFixed(0)} s`}\n`,
);
process.exit(run.status ?? 1);
