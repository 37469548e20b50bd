import { defineConfig } from "vitest/config";

// The real-engine suite: OpenTofu with the real kubernetes provider, and a real kube-apiserver.
// Needs the toolchain built by scripts/bootstrap-toolchain.sh (npm run test:e2e does that first).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
