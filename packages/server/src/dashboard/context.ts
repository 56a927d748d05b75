/** What every dashboard module is handed: the store, and the (lazily loaded, cached) cookie secret. */
import type { Store } from "../store/types.js";
import { loadCookieSecret } from "./auth/secret.js";

export interface DashboardContext {
  store: Store;
  secret(): Promise<Buffer>;
}

export function createContext(store: Store): DashboardContext {
  let secret: Promise<Buffer> | undefined;
  return {
    store,
    secret() {
      secret ??= loadCookieSecret(store).catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
      return secret;
    },
  };
}
