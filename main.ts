/**
 * The cdktf app: environments in, one stack per cluster out.
 *   npx tsx main.ts [--env <name>] [--env-file <path>] [--quiet]   (or via `cdktf synth` / `cdktf deploy`)
 * Progress (per environment, with times) goes to stderr on a terminal; none when piped or --quiet.
 * Every environment is loaded and checked before anything is written; any error is printed with
 * file:line:column and field, and the exit code is 1 with nothing written to cdktf.out.
 */
import { join } from "node:path";
import { synthProgress } from "./src/artifacts/synth-progress.js";
import { synthSummaryTable } from "./src/artifacts/synth-summary.js";
import { formatEnvironmentError } from "./src/model/environment-error.js";
import { parseSelection, selectEnvironmentFiles } from "./src/model/environment-selection.js";
import { formatPolicySummary } from "./src/policy/policy-report.js";
import { synthCampus } from "./stacks/campus-app.js";
import { loadEnvironments } from "./stacks/load-environments.js";

function main(): number {
  // cdktf captures a full stack trace for every token; with source maps on (tsx) each one is
  // mapped back to TypeScript, which is most of the synth time of a campus. Errors here are
  // reported by message, not by stack.
  process.setSourceMapsEnabled(false);
  const projectRoot = import.meta.dirname;
  const args = process.argv.slice(2);
  const progress = synthProgress({ stream: process.stderr, quiet: args.includes("--quiet") });
  const selection = parseSelection(
    args.filter((arg) => arg !== "--quiet"),
    process.env,
  );
  const files = selectEnvironmentFiles(join(projectRoot, "environments"), selection);

  const checked = progress.step(`${files.length} environment file(s) loaded, planned and checked`, () =>
    loadEnvironments(files),
  );
  if (!checked.ok) {
    process.stderr.write(`gpu-campus: ${checked.errors.length} error(s); nothing was written.\n`);
    for (const error of checked.errors) process.stderr.write(`${formatEnvironmentError(error)}\n`);
    return 1;
  }

  const planned = checked.environments;
  const outdir = process.env.CDKTF_OUTDIR ?? join(projectRoot, "cdktf.out");
  const result = synthCampus(outdir, planned, progress);
  process.stdout.write(`${synthSummaryTable(planned.map((p) => p.plan))}\n`);
  process.stdout.write(`${formatPolicySummary(result.policy)}\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`gpu-campus: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
