/** Finds Chromium for the browser tests, or explains why they are skipped (a failure when PHOSPHO_REQUIRE_BROWSER=1). */
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.PHOSPHO_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"];

export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.PHOSPHO_REQUIRE_BROWSER === "1") {
    throw new Error(
      `Chromium is required (PHOSPHO_REQUIRE_BROWSER=1) but ${CHROMIUM} does not exist: apt-get install chromium`,
    );
  }
  console.warn(
    `[notice] Chromium not found at ${CHROMIUM}: skipping the dashboard browser tests (set PHOSPHO_CHROMIUM)`,
  );
  return false;
}
