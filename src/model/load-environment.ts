import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import type { EnvironmentError, FieldPath, Report } from "./environment-error.js";
import { checkReferences } from "./reference-checks.js";
import { type Environment, EnvironmentSchema } from "./schema.js";
import { SourceMap } from "./source-map.js";

/**
 * An environment file that parsed, fits the schema and passed the reference checks: its data and
 * where each field came from. Checks that need the plan run later (stacks/load-environments.ts).
 */
export interface LoadedEnvironment {
  readonly file: string;
  readonly spec: Environment;
  readonly sourceMap: SourceMap;
}

/** A Report that records errors at the file and line of the field, for any later check stage. */
export function fileReporter(
  environment: Pick<LoadedEnvironment, "file" | "sourceMap">,
  errors: EnvironmentError[],
): Report {
  return (path, message) =>
    errors.push({ file: environment.file, ...environment.sourceMap.locate(path), path, message });
}

export type LoadResult =
  | { readonly ok: true; readonly environment: LoadedEnvironment }
  | { readonly ok: false; readonly errors: readonly EnvironmentError[] };

/** Reads, parses, validates and reference-checks one environment file; collects every error it can. */
export function loadEnvironmentFile(path: string): LoadResult {
  const file = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { ok: false, errors: [{ file, line: 1, column: 1, path: [], message: `cannot read the file (${reason})` }] };
  }
  return parseEnvironment(text, file);
}

/** Same as loadEnvironmentFile, for text already in memory (tests, the diff tool). */
export function parseEnvironment(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const sourceMap = new SourceMap(document, lineCounter);
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return { file, line, column: col, path: [], message: `YAML syntax: ${firstLine(e.message)}` };
      }),
    };
  }
  const data: unknown = document.toJS();
  const parsed = EnvironmentSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap((issue) => schemaErrors(issue, data, file, sourceMap)) };
  }
  const environment = { file, spec: parsed.data, sourceMap };
  const errors: EnvironmentError[] = [];
  checkReferences(parsed.data, fileReporter(environment, errors));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, environment };
}

function schemaErrors(issue: z.core.$ZodIssue, data: unknown, file: string, sourceMap: SourceMap): EnvironmentError[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      file,
      ...sourceMap.locateKey(path, key),
      path: [...path, key],
      message: "unknown key (check its spelling against schema/environment.schema.json)",
    }));
  }
  const value = valueAt(data, path);
  const got = value === undefined ? "it is missing" : `got ${JSON.stringify(value)}`;
  return [{ file, ...sourceMap.locate(path), path, message: `${issue.message}; ${got}` }];
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
