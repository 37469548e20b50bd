import { execFileSync } from "node:child_process";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseCapacityFile } from "../../plan/capacity-schema.js";
import { diffSynthOutputs } from "../diff/synth-diff.js";
import type { CapacityDelta, ReviewReport } from "../model.js";
import { readSynthOutput, type SynthOutput } from "../read/synth-output.js";
import { type BuildingMark, campusSvg } from "../render/campus-svg.js";
import { ArtifactsDir, emit, type Format, parseFormat, render, UsageError, useColor } from "./output.js";
import { projectRoot, resolveRef, SynthFailedError, synthesizePair } from "./synth-ref.js";

export const DIFF_USAGE = `usage: npm run diff -- [--base <git-ref>] [options]

Synthesizes <git-ref> (in a temporary git worktree) and the working tree (into a temporary
directory; cdktf.out is left alone) and compares them stack by stack, with the capacity delta.

  --base <ref>          commit, branch or tag to compare against (default: HEAD)
  --format <f>          markdown | json | terminal (default: terminal on a TTY, else markdown)
  --output <file>       write the report there instead of stdout
  --fail-on-destroy     exit 2 when a data volume, namespace or stack would be destroyed
  --env <name>          synthesize only these environments (repeatable; default: all)
  --artifacts-dir <d>   where the full report and campus pictures go
                        (default: next to --output, else a new temporary directory)
  --artifacts-url <u>   where readers find those files (a CI artifact page), named in the report
  --keep-temp           keep the temporary synth directories (their paths go to stderr)

Exit codes: 0 done; 1 error (bad arguments, the working tree does not synthesize);
2 destroys found with --fail-on-destroy; 3 the base ref does not synthesize.`;

export const EXIT_DESTROY = 2;
export const EXIT_BASE_FAILED = 3;

export interface DiffOptions {
  readonly projectDir: string;
  readonly base: string;
  readonly format: Format;
  readonly color?: boolean;
  readonly output?: string;
  readonly failOnDestroy?: boolean;
  readonly environments?: readonly string[];
  readonly artifactsDir?: string;
  readonly artifactsUrl?: string;
  readonly keepTemp?: boolean;
}

export interface DiffResult {
  readonly exitCode: number;
  readonly report: ReviewReport;
  /** The rendered report (what goes to stdout or --output). */
  readonly text: string;
  /** Files written besides the output: full report, campus pictures. */
  readonly files: readonly string[];
  readonly timings: { readonly synthMs: number; readonly diffMs: number };
}

function headLabel(root: string): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return `working tree (HEAD ${sha}${dirty ? " + uncommitted changes" : ""})`;
  } catch {
    return "working tree";
  }
}

/**
 * Draws the before and after campus of every environment whose capacity changed, and returns the
 * capacity deltas with picture references. `refFor` turns a written file into the reference the
 * Markdown should use (relative to where the report will be read).
 */
function drawPictures(
  capacity: readonly CapacityDelta[],
  before: SynthOutput,
  after: SynthOutput,
  artifacts: ArtifactsDir,
  captions: { readonly before: string; readonly after: string },
): { deltas: Map<string, { before?: string; after?: string }>; files: string[] } {
  const deltas = new Map<string, { before?: string; after?: string }>();
  const files: string[] = [];
  for (const delta of capacity.filter((c) => c.status !== "unchanged")) {
    const written: { before?: string; after?: string } = {};
    for (const [side, output] of [
      ["before", before],
      ["after", after],
    ] as const) {
      const raw = output.capacity.get(delta.environment);
      if (raw === undefined) continue;
      // Before: outline what goes or changes; after: what comes or changes.
      const marks = new Map<string, BuildingMark>(
        delta.buildings
          .filter((b) => b.status === "changed" || b.status === (side === "before" ? "removed" : "added"))
          .map((b) => [b.id, b.status]),
      );
      try {
        const svg = campusSvg(parseCapacityFile(raw, `${side}: environments/${delta.environment}/capacity.json`), {
          marks,
          caption: `${side}: ${captions[side].replaceAll("`", "")}`,
        });
        const file = artifacts.write(`campus-${delta.environment}-${side}.svg`, svg);
        written[side] = file;
        files.push(file);
      } catch (error) {
        // An older capacity.json that the picture cannot read: the table still shows the delta.
        process.stderr.write(`no ${side} picture for ${delta.environment}: ${(error as Error).message}\n`);
      }
    }
    deltas.set(delta.environment, written);
  }
  return { deltas, files };
}

function withPictures(
  report: ReviewReport,
  pictures: Map<string, { before?: string; after?: string }>,
  ref: (file: string) => string,
): ReviewReport {
  return {
    ...report,
    capacity: report.capacity.map((c) => {
      const p = pictures.get(c.environment);
      if (!p || (!p.before && !p.after)) return c;
      return {
        ...c,
        pictures: { ...(p.before ? { before: ref(p.before) } : {}), ...(p.after ? { after: ref(p.after) } : {}) },
      };
    }),
  };
}

/** The whole `npm run diff`, callable from tests: synth both sides, compare, render, write files. */
export async function runDiff(options: DiffOptions): Promise<DiffResult> {
  const root = await projectRoot(options.projectDir);
  // Fail fast on a bad ref, before two synths start.
  await resolveRef(root, options.base);
  const synthArgs = (options.environments ?? []).flatMap((env) => ["--env", env]);
  const started = performance.now();
  let pair: Awaited<ReturnType<typeof synthesizePair>>;
  try {
    pair = await synthesizePair(root, options.base, { synthArgs });
  } catch (error) {
    if (error instanceof SynthFailedError && error.side === "base") {
      throw new BaseSynthError(
        `the base ref ${options.base} failed to synthesize, so there is nothing to compare against:\n${error.detail}`,
      );
    }
    throw error;
  }
  const synthMs = performance.now() - started;
  try {
    const diffStarted = performance.now();
    const before = readSynthOutput(pair.baseDir);
    const after = readSynthOutput(pair.headDir);
    const labels = { before: `\`${options.base}\` (${pair.baseSha.slice(0, 7)})`, after: headLabel(root) };
    const report = diffSynthOutputs(before, after, labels);

    const artifactsDir = options.artifactsDir ?? (options.output ? dirname(resolve(options.output)) : undefined);
    const artifacts = new ArtifactsDir(artifactsDir);
    const pictures = drawPictures(report.capacity, before, after, artifacts, labels);
    // References as the reader of each file sees them: next to --output, or absolute on stdout.
    const outputDir = options.output ? dirname(resolve(options.output)) : undefined;
    const forOutput = withPictures(report, pictures.deltas, (file) =>
      options.artifactsUrl ? options.artifactsUrl : outputDir ? relative(outputDir, file) : file,
    );
    const forArtifacts = withPictures(report, pictures.deltas, (file) => relative(artifacts.path(), file));
    const exitCode = options.failOnDestroy && report.destroys.length > 0 ? EXIT_DESTROY : 0;
    const diffMs = performance.now() - diffStarted;
    const rendered = render(forOutput, {
      format: options.format,
      color: options.color ?? false,
      artifacts,
      forArtifacts,
      fullReportName: "diff-full.md",
      ...(options.artifactsUrl ? { artifactsUrl: options.artifactsUrl } : {}),
      jsonExtras: {
        base: { ref: options.base, sha: pair.baseSha },
        exitCode,
        timings: { synthMs: Math.round(synthMs), diffMs: Math.round(diffMs) },
      },
    });
    artifacts.releaseIfUnused();
    return {
      exitCode,
      report: forOutput,
      text: rendered.text,
      files: [...pictures.files, ...rendered.files],
      timings: { synthMs, diffMs },
    };
  } finally {
    if (options.keepTemp) process.stderr.write(`kept ${pair.baseDir} and ${pair.headDir}\n`);
    else await pair.cleanup();
  }
}

export class BaseSynthError extends Error {}

/** `npm run diff` entry point: parses argv, runs, prints, returns the exit code. */
export async function diffMain(argv: readonly string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        base: { type: "string", default: "HEAD" },
        format: { type: "string" },
        output: { type: "string" },
        "fail-on-destroy": { type: "boolean", default: false },
        env: { type: "string", multiple: true },
        "artifacts-dir": { type: "string" },
        "artifacts-url": { type: "string" },
        "keep-temp": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      process.stdout.write(`${DIFF_USAGE}\n`);
      return 0;
    }
    const tty = values.output === undefined && process.stdout.isTTY === true;
    const result = await runDiff({
      projectDir: process.cwd(),
      base: values.base,
      format: parseFormat(values.format, tty),
      color: useColor(tty, process.env),
      ...(values.output ? { output: values.output } : {}),
      failOnDestroy: values["fail-on-destroy"],
      ...(values.env ? { environments: values.env } : {}),
      ...(values["artifacts-dir"] ? { artifactsDir: values["artifacts-dir"] } : {}),
      ...(values["artifacts-url"] ? { artifactsUrl: values["artifacts-url"] } : {}),
      keepTemp: values["keep-temp"],
    });
    emit(result.text, values.output, result.files);
    process.stderr.write(
      `synthesized both sides in ${(result.timings.synthMs / 1000).toFixed(1)} s, compared in ${(result.timings.diffMs / 1000).toFixed(1)} s\n`,
    );
    if (result.exitCode === EXIT_DESTROY) {
      process.stderr.write(
        `--fail-on-destroy: ${result.report.destroys.length} destructive change(s); exit ${EXIT_DESTROY}\n`,
      );
    }
    return result.exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof BaseSynthError) {
      process.stderr.write(`gpu-campus diff: ${message}\n`);
      return EXIT_BASE_FAILED;
    }
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`gpu-campus diff: ${message}\n${usage ? `\n${DIFF_USAGE}\n` : ""}`);
    return 1;
  }
}
