import { defineConfig } from "vitest/config";

// The fault suite (test/faults): kills, concurrent synths, read-only and full filesystems. Real
// processes and real filesystems, minutes not seconds, so it runs apart from `npm test`.
export default defineConfig({
  test: {
    include: ["test/faults/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
  },
});
