import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { type EnvironmentError, formatEnvironmentError, formatFieldPath } from "../../src/model/environment-error.js";
import { loadEnvironments } from "../../stacks/load-environments.js";
import { ROOT } from "../fixtures/environments.js";

/**
 * The bad-input catalogue: one broken environment file per failure, each saying on its first line
 * what it must produce: `# expect: <field path> :: <part of the message>` (and, for YAML syntax
 * errors, `# at: <text on the reported line>`).
 */
const DIR = join(ROOT, "test", "fixtures", "bad-environments");
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

interface Expectation {
  readonly path: string;
  readonly message: string;
  readonly at: string | undefined;
}

function expectationOf(text: string, file: string): Expectation {
  const expect = /^# expect: (.+?) :: (.+)$/m.exec(text);
  if (!expect?.[1] || !expect[2]) throw new Error(`${file}: first line must be "# expect: <field path> :: <message>"`);
  const at = /^# at: (.+)$/m.exec(text)?.[1];
  return { path: expect[1], message: expect[2], at };
}

/** Lines (1-based, inclusive) the deepest existing node on a path spans, from its key to its value's end. */
function fieldSpan(text: string, path: readonly (string | number)[]): { first: number; last: number } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const line = (offset: number) => lineCounter.linePos(offset).line;
  let node: unknown = document.contents;
  const range = (n: unknown) => (n as { range?: [number, number, number] } | null)?.range;
  const whole = range(node);
  let span = { first: whole ? line(whole[0]) : 1, last: whole ? line(Math.max(whole[0], whole[1] - 1)) : 1 };
  for (const segment of path) {
    let keyStart: number | undefined;
    let child: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      keyStart = pair && isScalar(pair.key) ? range(pair.key)?.[0] : undefined;
      child = (pair?.value as Node | null | undefined) ?? undefined;
    } else if (isSeq(node) && typeof segment === "number") {
      child = (node.items[segment] as Node | undefined) ?? undefined;
    }
    const childRange = range(child);
    if (keyStart === undefined && !childRange) break;
    const start = keyStart ?? childRange?.[0] ?? 0;
    const end = childRange ? Math.max(childRange[0], childRange[1] - 1) : start;
    span = { first: line(start), last: line(end) };
    if (!child) break;
    node = child;
  }
  return span;
}

/** `buildings[0].pools[1].racks` back into segments. */
function parsePath(path: string): (string | number)[] {
  if (path === "(document)") return [];
  return path.split(/\.|(?=\[)/).map((s) => (s.startsWith("[") ? Number(s.slice(1, -1)) : s));
}

const catalogue = FILES.map((name) => {
  const file = join(DIR, name);
  const text = readFileSync(file, "utf8");
  return { name, file, display: relative(process.cwd(), file), text, expectation: expectationOf(text, name) };
});

const show = (errors: readonly EnvironmentError[]) => errors.map(formatEnvironmentError).join("\n");

describe("the bad-input catalogue", () => {
  it("GIVEN test/fixtures/bad-environments WHEN counted THEN it holds at least 40 files, each expecting its own failure", () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(40);
    const expectations = catalogue.map((c) => `${c.expectation.path} :: ${c.expectation.message}`);
    expect(new Set(expectations).size).toBe(catalogue.length);
  });

  describe.each(catalogue)("$name", ({ file, display, text, expectation }) => {
    it("GIVEN the file WHEN loaded in-process THEN an error names the file, the field's line, the field path and the message", () => {
      const result = loadEnvironments([file]);
      expect(result.ok).toBe(false);
      const errors = result.ok ? [] : result.errors;
      const match = errors.find(
        (e) => formatFieldPath(e.path) === expectation.path && e.message.includes(expectation.message),
      );
      expect(match, `no error "${expectation.path}: …${expectation.message}…" among:\n${show(errors)}`).toBeDefined();
      if (!match) return;
      expect(
        formatEnvironmentError(match).startsWith(`${display}:${match.line}:${match.column}: ${expectation.path}: `),
      ).toBe(true);
      const lines = text.split("\n");
      if (expectation.at !== undefined) {
        expect(lines[match.line - 1], `line ${match.line}`).toContain(expectation.at);
      } else {
        const span = fieldSpan(text, parsePath(expectation.path));
        expect(match.line, `line ${match.line}: "${lines[match.line - 1]}"`).toBeGreaterThanOrEqual(span.first);
        expect(match.line, `line ${match.line}: "${lines[match.line - 1]}"`).toBeLessThanOrEqual(span.last);
      }
    });
  });
});

describe("the CLI on bad input", () => {
  const scratch = mkdtempSync(join(tmpdir(), "gpu-campus-bad-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const run = (files: readonly string[], outdir: string) =>
    // node --import tsx, as npm run synth runs it, without npx's own start-up.
    spawnSync(process.execPath, ["--import", "tsx", "main.ts", ...files.flatMap((f) => ["--environment-file", f])], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });

  it("GIVEN every bad file in one run WHEN synthesized THEN it exits 1, reports every file's error and writes nothing", () => {
    const outdir = join(scratch, "all", "cdktf.out");
    const result = run(
      catalogue.map((c) => c.display),
      outdir,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^gpu-campus: \d+ error\(s\); nothing was written\./);
    const lines = result.stderr.split("\n");
    for (const { display, expectation } of catalogue) {
      const line = lines.find(
        (l) => l.startsWith(`${display}:`) && l.includes(` ${expectation.path}: `) && l.includes(expectation.message),
      );
      expect(line, `stderr has no line for ${display}`).toBeDefined();
    }
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(scratch).filter((f) => f.startsWith("all") && f !== "all")).toEqual([]);
  });

  it.each(["yaml-duplicate-key", "power-over-budget", "suppression-short-reason"])(
    "GIVEN %s alone WHEN synthesized THEN it exits 1 with its message and an existing output stays as it was",
    (name) => {
      const entry = catalogue.find((c) => c.name === `${name}.yaml`);
      if (!entry) throw new Error(`no fixture ${name}`);
      const outdir = join(scratch, name, "cdktf.out");
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, "previous.txt"), "from an earlier synth\n");
      const result = run([entry.display], outdir);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`${entry.display}:`);
      expect(result.stderr).toContain(entry.expectation.message);
      expect(readdirSync(outdir)).toEqual(["previous.txt"]);
      expect(readdirSync(join(scratch, name))).toEqual(["cdktf.out"]);
    },
  );
});
