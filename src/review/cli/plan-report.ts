import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { ReviewReport } from "../model.js";
import { type NamedPlan, parsePlanJson, planReport } from "../read/plan-json.js";
import { ArtifactsDir, emit, type Format, parseFormat, render, UsageError, useColor } from "./output.js";

export const PLAN_REPORT_USAGE = `usage: npm run plan-report -- <plan.json> [<plan.json> ...] [options]

Renders \`tofu show -json <planfile>\` (or \`terraform show -json\`) output like \`npm run diff\`.
Each file is one stack; name it with <stack>=<file>, else the name is the file's (or, for a
generic name like plan.json, its directory's). "-" reads standard input.

  --format <f>          markdown | json | terminal (default: terminal on a TTY, else markdown)
  --output <file>       write the report there instead of stdout
  --fail-on-destroy     exit 2 when a data volume or namespace would be destroyed or replaced
  --artifacts-dir <d>   where the full report goes when it exceeds a PR comment
  --artifacts-url <u>   where readers find that file (a CI artifact page)`;

const GENERIC_NAMES = new Set(["plan", "tfplan", "plan-json", "show"]);

/** `cdktf.out/stacks/production-b1-c1/plan.json` → `production-b1-c1`; `b1.json` → `b1`. */
export function stackNameOf(argument: string): { stack: string; file: string } {
  const eq = argument.indexOf("=");
  if (eq > 0) return { stack: argument.slice(0, eq), file: argument.slice(eq + 1) };
  if (argument === "-") return { stack: "stdin", file: argument };
  const name = basename(argument).replace(/\.json$/, "");
  return { stack: GENERIC_NAMES.has(name) ? basename(dirname(resolve(argument))) : name, file: argument };
}

export function loadPlans(args: readonly string[], readStdin: () => string): NamedPlan[] {
  return args.map((argument) => {
    const { stack, file } = stackNameOf(argument);
    let text: string;
    try {
      text = file === "-" ? readStdin() : readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UsageError(
        `${file}: not JSON (give the output of \`tofu show -json <planfile>\`, not the binary plan)`,
      );
    }
    return { stack, plan: parsePlanJson(value, file) };
  });
}

export interface PlanReportResult {
  readonly exitCode: number;
  readonly report: ReviewReport;
  readonly text: string;
  readonly files: readonly string[];
}

export function runPlanReport(
  plans: readonly NamedPlan[],
  options: {
    format: Format;
    color?: boolean;
    failOnDestroy?: boolean;
    output?: string;
    artifactsDir?: string;
    artifactsUrl?: string;
  },
): PlanReportResult {
  const report = planReport(plans);
  const exitCode = options.failOnDestroy && report.destroys.length > 0 ? 2 : 0;
  const artifacts = new ArtifactsDir(
    options.artifactsDir ?? (options.output ? dirname(resolve(options.output)) : undefined),
  );
  const rendered = render(report, {
    format: options.format,
    color: options.color ?? false,
    artifacts,
    fullReportName: "plan-report-full.md",
    ...(options.artifactsUrl ? { artifactsUrl: options.artifactsUrl } : {}),
    jsonExtras: { exitCode },
  });
  artifacts.releaseIfUnused();
  return { exitCode, report, text: rendered.text, files: rendered.files };
}

export function planReportMain(argv: readonly string[]): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        format: { type: "string" },
        output: { type: "string" },
        "fail-on-destroy": { type: "boolean", default: false },
        "artifacts-dir": { type: "string" },
        "artifacts-url": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(`${PLAN_REPORT_USAGE}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError("give at least one plan JSON file");
    const plans = loadPlans(positionals, () => readFileSync(0, "utf8"));
    const tty = values.output === undefined && process.stdout.isTTY === true;
    const result = runPlanReport(plans, {
      format: parseFormat(values.format, tty),
      color: useColor(tty, process.env),
      failOnDestroy: values["fail-on-destroy"],
      ...(values.output ? { output: values.output } : {}),
      ...(values["artifacts-dir"] ? { artifactsDir: values["artifacts-dir"] } : {}),
      ...(values["artifacts-url"] ? { artifactsUrl: values["artifacts-url"] } : {}),
    });
    emit(result.text, values.output, result.files);
    return result.exitCode;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(
      `gpu-campus plan-report: ${error instanceof Error ? error.message : String(error)}\n${usage ? `\n${PLAN_REPORT_USAGE}\n` : ""}`,
    );
    return 1;
  }
}
