// The `phospho` entry for Node, Bun and Deno (the `node`, `bun` and `deno` export conditions): the same public
// surface as `index.ts`, plus the features that need `node:` modules (`spoolDir`, `pathToHash`).

import * as fs from "node:fs/promises";
import { installNodeFeatures } from "./platform/features.js";
import { hashDirectories } from "./platform/hash.js";
import { keepUndelivered } from "./spool/keep.js";
import { Redelivery } from "./spool/redelivery.js";
import { Spool } from "./spool/spool.js";

installNodeFeatures({
  hashDirectories,
  openSpool: (dir, maxBytes) => new Spool(dir, maxBytes, fs),
  redeliver: (spool, host) => new Redelivery(spool, host),
  keepUndelivered,
});

export * from "./index.js";
export { default } from "./index.js";
