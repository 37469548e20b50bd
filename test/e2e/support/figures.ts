import { appendFileSync } from "node:fs";

/**
 * A measured figure of an e2e suite (a phase's seconds, a count): printed at once, and appended
 * to GPU_CAMPUS_E2E_FIGURES when the runner (test/e2e/run.ts) set it, so that its summary lists
 * every suite's figures together.
 */
export function reportFigure(suite: string, label: string, value: number, unit = "s"): void {
  const shown = unit === "s" ? value.toFixed(1) : String(value);
  process.stdout.write(`[${suite}] ${label}: ${shown} ${unit}\n`);
  const file = process.env.GPU_CAMPUS_E2E_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify({ suite, label, value, unit })}\n`);
}

/** Runs `task` and reports its duration in seconds. */
export async function timed<T>(suite: string, label: string, task: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await task();
  } finally {
    reportFigure(suite, label, (performance.now() - started) / 1000);
  }
}
