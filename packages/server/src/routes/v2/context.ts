import type { Limits } from "../../config.js";
import type { Store } from "../../store/types.js";

export interface RouteContext {
  store: Store;
  limits: Limits;
}
