/**
 * The cdktf app: environments in, one stack per cluster out.
 *   npx tsx main.ts [--env <name>] [--environment-file <path>] [--help]   (or via `cdktf synth` / `cdktf deploy`)
 * Every environment is loaded and checked before anything is written; any error is printed with
 * file:line:column and field, and the exit code is 1 with nothing written to cdktf.out.
 */
import { join } from "node:path";
import { formatEnvironmentError, forTerminal } from "./src/model/environment-error.js";
import {
  isCompleteSelection,
  parseSelection,
  SYNTH_USAGE,
  selectEnvironmentFiles,
  UsageError,
} from "./src/model/environment-selection.js";
import { loadEnvironments } from "./stacks/load-environments.js";

async function main(): Promise<number> {
  // cdktf captures a full stack trace for every token; with source maps on (tsx) each one is
  // mapped back to TypeScript, which is most of the synth time of a campus. Errors here are
  // reported by message, not by stack.
  process.setSourceMapsEnabled(false);
  const projectRoot = import.meta.dirname;
  const selection = parseSelection(process.argv.slice(2), process.env);
  if (selection.help) {
    process.stdout.write(`${SYNTH_USAGE}\n`);
    return 0;
  }
  const files = selectEnvironmentFiles(join(projectRoot, "environments"), selection);

  const checked = loadEnvironments(files);
  if (!checked.ok) {
    process.stderr.write(`gpu-campus: ${checked.errors.length} error(s); nothing was written.\n`);
    for (const error of checked.errors) process.stderr.write(`${formatEnvironmentError(error)}\n`);
    return 1;
  }

  // cdktf, the provider bindings and the policy pack are loaded only when there is something to
  // synthesize: a file with errors is reported without paying for them (about a second).
  const [{ synthCampus }, { synthSummaryTable }, { formatPolicySummary }] = await Promise.all([
    import("./stacks/campus-app.js"),
    import("./src/artifacts/synth-summary.js"),
    import("./src/policy/policy-report.js"),
  ]);
  const planned = checked.environments;
  const outdir = process.env.CDKTF_OUTDIR ?? join(projectRoot, "cdktf.out");
  const result = synthCampus(outdir, planned, { complete: isCompleteSelection(selection) });
  process.stdout.write(`${synthSummaryTable(planned.map((p) => p.plan))}\n`);
  process.stdout.write(`${formatPolicySummary(result.policy)}\n`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  const message = forTerminal(error instanceof Error ? error.message : String(error));
  if (error instanceof UsageError) {
    process.stderr.write(`gpu-campus: ${message}\n\n${SYNTH_USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`gpu-campus: ${message}\n`);
    process.exitCode = 1;
  }
}
