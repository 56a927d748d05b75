/**
 * Live updates by polling `/latest` (one indexed MAX per call). Returns the newest `received_at` of the project
 * (null when it has no task), refreshed every `intervalMs`.
 */
import { useEffect, useState } from "react";
import { api, projectPath } from "../api/client";

/** Poll period for live updates, ms. */
export const LIVE_INTERVAL_MS = 3000;

export function useLatest(
  projectId: string,
  intervalMs = LIVE_INTERVAL_MS,
): { latest: number | null; loaded: boolean } {
  const [state, setState] = useState<{ latest: number | null; loaded: boolean }>({
    latest: null,
    loaded: false,
  });
  useEffect(() => {
    let stopped = false;
    const poll = () =>
      api<{ latest: number | null }>(projectPath(projectId, "/latest")).then(
        ({ latest }) => {
          if (!stopped) setState((s) => (s.loaded && s.latest === latest ? s : { latest, loaded: true }));
        },
        () => undefined,
      );
    void poll();
    const timer = window.setInterval(() => void poll(), intervalMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [projectId, intervalMs]);
  return state;
}
