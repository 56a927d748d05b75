import { defineConfig } from "vitest/config";

/**
 * Files whose checks bound a time (the fault suite's health probes under attack): they run after every other
 * file, alone on the machine. Beside the browser and runtime tests, a 2-core box can starve every process for
 * seconds at a time, which says nothing about the collector (CI saw 8 attack bodies sent in 6 s instead of 113).
 */
const ALONE = ["bench/test/faults-quick.test.ts"];

// One runner for every package. Forks (not threads) because better-sqlite3 and child processes are involved.
export default defineConfig({
  test: {
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["packages/*/test/**/*.test.{ts,tsx}", "bench/test/**/*.test.ts"],
          exclude: ALONE,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "alone", include: ALONE, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
