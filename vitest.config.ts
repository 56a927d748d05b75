import { defineConfig } from "vitest/config";

// One runner for every package. Forks (not threads) because better-sqlite3 and child processes are involved.
export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.{ts,tsx}", "bench/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
