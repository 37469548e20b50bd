import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { parseCapacityFile } from "../../plan/capacity-schema.js";
import { campusSvg } from "../render/campus-svg.js";
import { capacityReport } from "../render/capacity-report.js";
import { formatNumber, formatPower, plural } from "../render/format.js";
import { UsageError } from "./output.js";

export const REPORT_USAGE = `usage: npm run report -- [options]

Synthesizes (like \`npm run synth\`), then writes for every environment
  <outdir>/environments/<env>/campus.svg   the campus picture
  <outdir>/environments/<env>/report.md    the capacity report (embeds the picture)
from that environment's capacity.json. The next synth replaces environments/, so these go too.

  --env <name>      only these environments (repeatable; default: all)
  --no-synth        read an existing <outdir> instead of synthesizing
  --outdir <dir>    the cdktf output directory (default: cdktf.out)`;

const run = promisify(execFile);

export interface ReportOptions {
  readonly projectDir: string;
  readonly outdir: string;
  readonly synth: boolean;
  readonly environments?: readonly string[];
}

export interface WrittenReport {
  readonly environment: string;
  readonly svg: string;
  readonly markdown: string;
  readonly summary: string;
}

/** Synthesizes (unless told not to) and writes the picture and the report of each environment. */
export async function runReport(options: ReportOptions): Promise<WrittenReport[]> {
  const outdir = resolve(options.projectDir, options.outdir);
  const selected = options.environments ?? [];
  if (options.synth) {
    const tsx = join(options.projectDir, "node_modules", ".bin", "tsx");
    try {
      await run(tsx, ["main.ts", ...selected.flatMap((env) => ["--env", env])], {
        cwd: options.projectDir,
        env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
        maxBuffer: 64 << 20,
      });
    } catch (error) {
      const e = error as { stderr?: string; message?: string };
      throw new Error(`synth failed, no report written:\n${(e.stderr ?? e.message ?? String(error)).trim()}`);
    }
  }
  const environmentsDir = join(outdir, "environments");
  if (!existsSync(environmentsDir)) {
    throw new UsageError(`${environmentsDir} does not exist: run \`npm run synth\` or drop --no-synth`);
  }
  const available = readdirSync(environmentsDir).filter((env) =>
    existsSync(join(environmentsDir, env, "capacity.json")),
  );
  for (const env of selected) {
    if (!available.includes(env)) throw new UsageError(`--env ${env}: no capacity.json for it in ${environmentsDir}`);
  }
  const written: WrittenReport[] = [];
  for (const env of available.sort()) {
    if (selected.length > 0 && !selected.includes(env)) continue;
    const file = join(environmentsDir, env, "capacity.json");
    const capacity = parseCapacityFile(JSON.parse(readFileSync(file, "utf8")), file);
    const svg = join(environmentsDir, env, "campus.svg");
    const markdown = join(environmentsDir, env, "report.md");
    writeFileSync(svg, campusSvg(capacity));
    writeFileSync(markdown, capacityReport(capacity, { picture: "campus.svg" }));
    const t = capacity.totals;
    written.push({
      environment: env,
      svg,
      markdown,
      summary: `${env}: ${formatNumber(t.gpus)} GPUs, ${formatNumber(t.nodes)} nodes, ${formatNumber(t.racks)} racks in ${plural(t.buildings, "building")}, ${formatPower(t.itPowerMW)} IT / ${formatPower(t.facilityPowerMW)} facility`,
    });
  }
  return written;
}

export async function reportMain(argv: readonly string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: "string", multiple: true },
        "no-synth": { type: "boolean", default: false },
        outdir: { type: "string", default: "cdktf.out" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    const written = await runReport({
      projectDir: process.cwd(),
      outdir: values.outdir,
      synth: !values["no-synth"],
      ...(values.env ? { environments: values.env } : {}),
    });
    for (const w of written) process.stdout.write(`${w.summary}\n  ${w.markdown}\n  ${w.svg}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(
      `gpu-campus report: ${error instanceof Error ? error.message : String(error)}\n${usage ? `\n${REPORT_USAGE}\n` : ""}`,
    );
    return 1;
  }
}
