import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { relative } from "node:path";
import { LineCounter, parseDocument, visit } from "yaml";
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

/**
 * The largest environment file read: production's is ~5 KB, so 1 MiB is far beyond any real
 * campus and small enough that a wrong path (a log, /dev/zero) fails at once.
 */
export const MAX_ENVIRONMENT_FILE_BYTES = 1 << 20;

/** Reads, parses, validates and reference-checks one environment file; collects every error it can. */
export function loadEnvironmentFile(path: string): LoadResult {
  const file = displayPath(path);
  const read = readEnvironmentText(path);
  if (!read.ok) return { ok: false, errors: [{ file, line: 1, column: 1, path: [], message: read.message }] };
  return parseEnvironment(read.text, file);
}

/**
 * Only a regular file of at most MAX_ENVIRONMENT_FILE_BYTES is read. It is opened non-blocking so
 * a FIFO cannot hang the open, then checked on the open descriptor (no race with a rename), and
 * read with the cap + 1 so a file growing meanwhile is caught too.
 */
function readEnvironmentText(path: string): { ok: true; text: string } | { ok: false; message: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory()
        ? "a directory"
        : stat.isFIFO()
          ? "a FIFO"
          : stat.isCharacterDevice()
            ? "a device"
            : "not a regular file";
      return { ok: false, message: `cannot read the file: it is ${kind}; an environment is a regular YAML file` };
    }
    const tooBig = (bytes: number) =>
      `the file is ${bytes.toLocaleString("en-US")} bytes, over the ${MAX_ENVIRONMENT_FILE_BYTES.toLocaleString("en-US")}-byte limit ` +
      `by ${(bytes - MAX_ENVIRONMENT_FILE_BYTES).toLocaleString("en-US")}`;
    if (stat.size > MAX_ENVIRONMENT_FILE_BYTES) return { ok: false, message: tooBig(stat.size) };
    const buffer = Buffer.alloc(MAX_ENVIRONMENT_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_ENVIRONMENT_FILE_BYTES) return { ok: false, message: tooBig(length) };
    }
    return { ok: true, text: buffer.toString("utf8", 0, length) };
  } catch (error) {
    return { ok: false, message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  } finally {
    closeSync(fd);
  }
}

/** Same as loadEnvironmentFile, for text already in memory (tests, the diff tool). */
export function parseEnvironment(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const sourceMap = new SourceMap(document, lineCounter);
  // Warnings are errors: an unknown tag (`!secret`) would otherwise be dropped and its value read
  // as a plain string, which is never what the author meant.
  const problems = [...document.errors, ...document.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        const what = e.code === "TAG_RESOLVE_FAILED" ? "YAML tag" : "YAML syntax";
        const hint = e.code === "TAG_RESOLVE_FAILED" ? " (environment files take plain YAML: no custom tags)" : "";
        return { file, line, column: col, path: [], message: `${what}: ${firstLine(e.message)}${hint}` };
      }),
    };
  }
  let data: unknown;
  try {
    // yaml refuses a document whose aliases expand beyond maxAliasCount (a "billion laughs" file).
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const alias = firstAlias(document);
    const { line, col } = lineCounter.linePos(alias ?? 0);
    return {
      ok: false,
      errors: [
        {
          file,
          line,
          column: col,
          path: [],
          message: `YAML aliases: ${firstLine(error instanceof Error ? error.message : String(error))}`,
        },
      ],
    };
  }
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

/** Offset of the first alias (`*name`) in the document, where an alias expansion error points. */
function firstAlias(document: ReturnType<typeof parseDocument>): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}
