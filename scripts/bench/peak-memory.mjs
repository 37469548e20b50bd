// Preloaded into the benchmarked process: reports its own peak resident set size on exit,
// on file descriptor 3 so it never mixes with the app's output.
import { writeSync } from "node:fs";

process.on("exit", () => {
  try {
    writeSync(3, `${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
  } catch {
    // fd 3 is not open when the app runs outside the benchmark
  }
});
