import { defineConfig } from "vitest/config";

// The real-engine suites: OpenTofu with the real kubernetes provider, and a real kube-apiserver.
// Need the toolchain built by scripts/bootstrap-toolchain.sh: run them with `npm run test:e2e`
// (test/e2e/run.ts), which bootstraps first, leaves out the provider suites with a "not run"
// line where no provider is available, and prints each suite's time.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    setupFiles: ["test/setup.ts", "test/e2e/support/suite-timer.ts"],
    globalSetup: ["test/e2e/support/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: "forks",
    // One suite at a time: each starts its own control plane, and this machine has two cores.
    fileParallelism: false,
  },
});
