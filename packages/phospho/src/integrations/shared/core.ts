// The one door from the wrappers to the core. The build rewrites this module's import of the core into an import
// of the `phospho` package itself (tsup.config.ts), so `phospho/openai` and `phospho` share one default client
// and the wrappers add nothing to the core bundle.

export { phospho } from "../../index.js";
export type { LogParams, StreamStatus } from "../../index.js";
