// The public surface of the `phospho` package. Everything a user may import is listed here.

import { Phospho } from "./client/phospho.js";

export { Phospho } from "./client/phospho.js";
export { sendUserFeedback, defaultRawFlagToFlag } from "./client/feedback.js";
export {
  PhosphoError,
  PhosphoConfigError,
  PhosphoAuthError,
  PhosphoRejectedEventError,
  PhosphoDeliveryError,
  type PhosphoErrorCode,
} from "./errors.js";
export type { PhosphoOptions, FetchLike, FetchInit, FetchResponse } from "./config/options.js";
export { DEFAULT_BASE_URL } from "./config/options.js";
export type {
  Flag,
  JsonValue,
  LogEvent,
  LogParams,
  PhosphoStats,
  SendUserFeedbackParams,
  StreamStatus,
  UserFeedbackParams,
} from "./types.js";

/** The default client: `import { phospho } from "phospho"; phospho.init(); phospho.log({ input, output })`. */
export const phospho: Phospho = new Phospho();

export default phospho;
