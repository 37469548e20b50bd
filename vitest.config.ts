import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Fast suite by default; the real-engine suite (OpenTofu, kube-apiserver) has its own config.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/faults has its own config (vitest.faults.config.ts, npm run test:faults).
    exclude: ["test/e2e/**", "test/faults/**", "node_modules/**"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    pool: "forks",
    // One module cache per worker, not per file: cdktf and the provider bindings load once per
    // worker instead of once per file (175 s → 135 s for the suite on this 2-core machine).
    // Tests share no mutable module state: each builds its own app, stacks and temp directories.
    isolate: false,
    // A worker per core: vitest's default leaves one core to its main process (cores − 1), which
    // on this 2-core machine means a single worker, while the main process only collects results.
    maxWorkers: availableParallelism(),
  },
});
