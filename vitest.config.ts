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
  },
});
