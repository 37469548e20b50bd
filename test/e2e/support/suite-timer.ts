import { relative } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { reportFigure } from "./figures.js";
import { ROOT } from "./synth.js";

/**
 * A setup file of the e2e config: each suite file's wall time, its beforeAll and afterAll hooks
 * included (vitest's per-file test durations leave the control-plane start-up out). The runner's
 * summary reads it as the suite's time.
 */
let started = 0;
beforeAll(() => {
  started = performance.now();
});
afterAll(() => {
  const file = expect.getState().testPath;
  if (file) reportFigure("suite", relative(ROOT, file), (performance.now() - started) / 1000);
});
