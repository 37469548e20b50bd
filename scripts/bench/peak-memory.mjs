// Preloaded into the benchmarked process: reports its own peak resident set size and CPU time on
// exit, on file descriptor 3 so it never mixes with the app's output.
import { writeSync } from "node:fs";

process.on("exit", () => {
  const usage = process.resourceUsage();
  try {
    const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    writeSync(3, `${JSON.stringify({ maxRssKiB: usage.maxRSS, cpuSeconds })}\n`);
  } catch {
    // fd 3 is not open when the app runs outside the benchmark
  }
});
