/** Fetches a GET path and re-fetches when it changes; `reload()` fetches again; `null` path fetches nothing. */
import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api/client";

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): ApiState<T> {
  const [state, setState] = useState<{
    path: string | null;
    data?: T;
    error?: ApiError;
    version: number;
    done: boolean;
  }>({
    path: null,
    version: 0,
    done: false,
  });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    api<T>(path, { signal: controller.signal }).then(
      (data) => setState({ path, data, version, done: true }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setState({ path, error: apiError, version, done: true });
      },
    );
    return () => controller.abort();
  }, [path, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: path !== null && (!current || !state.done || state.version !== version),
    reload,
  };
}
