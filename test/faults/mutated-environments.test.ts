import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatEnvironmentError } from "../../src/model/environment-error.js";
import { synthCampus } from "../../stacks/campus-app.js";
import { planEnvironmentText } from "../../stacks/load-environments.js";
import { type EnvironmentName, environmentData } from "../fixtures/environments.js";

/**
 * Every mutant of a shipped environment ends in one of two ways: located errors
 * (`mutant.yaml:line:col: field: message`, one terminal-safe line each) or a synth that writes its
 * output. Nothing throws past the checks, hangs or grows without bound.
 */
const work = mkdtempSync(join(tmpdir(), "gpu-campus-mutants-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Path = (string | number)[];

/** Every path into the data: blocks and leaves, each a place a mutation can land. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value !== null && typeof value === "object") {
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  }
  return [prefix];
}

const hostile = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 1e-7, 1e12, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 1),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(
    "",
    "-",
    "a-",
    "UPPER",
    "x".repeat(300),
    "\u001b[31mred\u001b[0m",
    "line\nbreak",
    "../../etc",
    "/abs",
    "{cluster}",
  ),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(null, true, false, [], {}),
);

const mutation = fc.record({
  kind: fc.constantFrom("set", "set", "delete", "unknown-key", "duplicate", "nudge", "nudge", "nudge"),
  at: fc.nat(),
  value: hostile,
  factor: fc.constantFrom(0.5, 0.9, 1, 1.5, 2, 3),
});

function apply(data: unknown, m: { kind: string; at: number; value: unknown; factor: number }): void {
  const paths = pathsOf(data).filter((p) => p.length > 0);
  const path = paths[m.at % paths.length];
  if (!path) return;
  let parent = data as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const current = parent[last];
  // A nudge is the edit a person makes: a figure scaled, a name changed a little.
  if (m.kind === "nudge") {
    if (typeof current === "number") {
      parent[last] = Number.isInteger(current) ? Math.max(1, Math.round(current * m.factor)) : current * m.factor;
    } else if (typeof current === "string") parent[last] = m.factor > 1 ? `${current}2` : current;
    else if (typeof current === "boolean") parent[last] = m.factor > 1 ? !current : current;
  } else if (m.kind === "set") parent[last] = m.value;
  else if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.kind === "unknown-key") {
    const target = parent[last];
    if (target !== null && typeof target === "object" && !Array.isArray(target)) {
      (target as Record<string, unknown>)[`x${String(m.value).slice(0, 8)}`] = m.value;
    } else parent[last] = m.value;
  } else if (Array.isArray(parent)) parent.push(structuredClone(parent[Number(last)]));
  else parent[last] = [parent[last], parent[last]];
}

const TIME_BOUND_MS = 20_000;
const HEAP_BOUND_BYTES = 1.5 * 1024 ** 3;

describe("mutated environment files", () => {
  let trial = 0;
  it("GIVEN shipped environments with 1-3 hostile mutations WHEN loaded and synthesized THEN located errors or a complete synth, within time and memory bounds", () => {
    const outcomes = { errors: 0, synths: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom<EnvironmentName>("kind", "kind", "staging"),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (name, mutations) => {
          const data = environmentData(name) as unknown;
          for (const m of mutations) apply(data, m);
          const start = performance.now();
          const result = planEnvironmentText(stringify(data), "mutant.yaml");
          if (!result.ok) {
            outcomes.errors++;
            expect(result.errors.length).toBeGreaterThan(0);
            for (const error of result.errors) {
              const line = formatEnvironmentError(error);
              expect(line).toMatch(/^mutant\.yaml:[1-9]\d*:[1-9]\d*: \S.*: \S/);
              expect([...line].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toEqual([]);
            }
          } else {
            outcomes.synths++;
            const outdir = join(work, `synth-${trial++}`, "cdktf.out");
            synthCampus(outdir, result.environments);
            expect(existsSync(join(outdir, "manifest.json"))).toBe(true);
            rmSync(join(outdir, ".."), { recursive: true, force: true });
          }
          expect(performance.now() - start).toBeLessThan(TIME_BOUND_MS);
          expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_BOUND_BYTES);
        },
      ),
      {
        numRuns: Number(process.env.GPU_CAMPUS_MUTANTS ?? 150),
        seed: Number(process.env.GPU_CAMPUS_MUTANT_SEED ?? Date.now() % 2 ** 31),
      },
    );
    // Both outcomes must occur, or the property tested only one side.
    console.log(`mutants: ${outcomes.errors} ended in located errors, ${outcomes.synths} synthesized`);
    expect(outcomes.errors).toBeGreaterThan(0);
    expect(outcomes.synths).toBeGreaterThan(0);
  });
});
