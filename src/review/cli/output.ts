import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ReviewReport } from "../model.js";
import { fitComment } from "../render/comment-limit.js";
import { renderMarkdown } from "../render/render-markdown.js";
import { renderTerminal } from "../render/render-terminal.js";

/** Output handling shared by `npm run diff` and `npm run plan-report`. */

export type Format = "markdown" | "json" | "terminal";

export const FORMATS: readonly Format[] = ["markdown", "json", "terminal"];

export function parseFormat(value: string | undefined, isTty: boolean): Format {
  if (value === undefined) return isTty ? "terminal" : "markdown";
  if (!FORMATS.includes(value as Format)) throw new UsageError(`--format ${value}: use one of ${FORMATS.join(", ")}`);
  return value as Format;
}

export class UsageError extends Error {}

/** Where extra files (the full report, campus pictures) go: created on first use. */
export class ArtifactsDir {
  private dir: string | undefined;

  constructor(private readonly requested: string | undefined) {}

  path(): string {
    if (this.dir === undefined) {
      if (this.requested) {
        this.dir = resolve(this.requested);
        mkdirSync(this.dir, { recursive: true });
      } else {
        this.dir = mkdtempSync(join(tmpdir(), "gpu-campus-review-"));
      }
    }
    return this.dir;
  }

  write(name: string, content: string): string {
    const file = join(this.path(), name);
    writeFileSync(file, content);
    return file;
  }

  /**
   * Removes the temporary directory again when nothing was written to it (a short report with no
   * pictures still computes where the full report would go). A requested directory is kept.
   */
  releaseIfUnused(): void {
    if (this.dir !== undefined && !this.requested && readdirSync(this.dir).length === 0) {
      rmdirSync(this.dir);
      this.dir = undefined;
    }
  }
}

export interface RenderedOutput {
  readonly text: string;
  /** Files written besides the main output, for the user to be told about. */
  readonly files: readonly string[];
}

export interface RenderOptions {
  readonly format: Format;
  readonly color: boolean;
  readonly artifacts: ArtifactsDir;
  /** Extra fields for the JSON form (timings, exit code). */
  readonly jsonExtras?: Readonly<Record<string, unknown>>;
  /** The report with picture references for the full report file (relative to the artifacts dir). */
  readonly forArtifacts?: ReviewReport;
  /** A URL where the full report can be read (the workflow's artifact page). */
  readonly artifactsUrl?: string;
  /** File name of the full report inside the artifacts dir. */
  readonly fullReportName: string;
}

export function render(report: ReviewReport, options: RenderOptions): RenderedOutput {
  if (options.format === "json") {
    return { text: `${JSON.stringify({ ...report, ...options.jsonExtras }, null, 2)}\n`, files: [] };
  }
  if (options.format === "terminal") return { text: renderTerminal(report, { color: options.color }), files: [] };
  const fullName = options.fullReportName;
  const location = options.artifactsUrl
    ? `\`${fullName}\` in the workflow artifact: ${options.artifactsUrl}`
    : `\`${join(options.artifacts.path(), fullName)}\``;
  const fitted = fitComment(report, location);
  if (!fitted.shortened) return { text: fitted.markdown, files: [] };
  const file = options.artifacts.write(fullName, renderMarkdown(options.forArtifacts ?? report));
  return { text: fitted.markdown, files: [file] };
}

/** Writes to --output (creating its directory) or stdout; tells stderr about every file written. */
export function emit(text: string, output: string | undefined, files: readonly string[]): void {
  if (output) {
    mkdirSync(dirname(resolve(output)), { recursive: true });
    writeFileSync(output, text);
    process.stderr.write(`wrote ${output}\n`);
  } else {
    process.stdout.write(text);
  }
  for (const file of files) process.stderr.write(`wrote ${file}\n`);
}

export function useColor(isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return isTty;
}
