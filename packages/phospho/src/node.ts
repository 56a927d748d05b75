// The `phospho` entry for Node, Bun and Deno (the `node`, `bun` and `deno` export conditions): the same public
// surface as `index.ts`, plus the features that need `node:` modules (`spoolDir`, `pathToHash`).

import * as fs from "node:fs/promises";
import { PhosphoError } from "./errors.js";
import { installNodeFeatures } from "./platform/features.js";
import { hashDirectories } from "./platform/hash.js";
import { makeDurable } from "./spool/durable.js";
import { Spool } from "./spool/spool.js";

installNodeFeatures({
  versionOf: (roots, report) =>
    hashDirectories(roots).catch((error: unknown) => {
      report(new PhosphoError("internal", `could not hash pathToHash: ${String(error)}`));
      return undefined;
    }),
  durable: (config, stats, report, host) =>
    makeDurable(new Spool(config.spoolDir ?? "", config.maxSpoolBytes, fs), config, stats, report, host),
});

export * from "./index.js";
export { default } from "./index.js";
