/**
 * The tasks list's state: the first page, the pages added with "Load more", live refresh of the first page,
 * and rows changed or removed in place. It is kept in a module-level cache by query, with the scroll
 * position, so Back from a task brings the same rows and place, not a fresh first page.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { api, ApiError, projectPath } from "../../api/client";
import type { TaskListItem, TaskPage } from "../../api/types";

interface ListState {
  tasks: TaskListItem[];
  /** undefined before the first page arrives; null after the last page. */
  cursor: string | null | undefined;
  scrollY: number;
  selected: number;
  fresh: Set<string>;
}

const cache = new Map<string, ListState>();
const CACHE_LIMIT = 20;

function remember(key: string, state: ListState) {
  cache.delete(key);
  cache.set(key, state);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value ?? "");
}

const empty = (): ListState => ({ tasks: [], cursor: undefined, scrollY: 0, selected: -1, fresh: new Set() });

export function useTaskList(projectId: string, query: string, latest: number | null) {
  const key = `${projectId}|${query}`;
  const [state, setState] = useState<{ key: string; list: ListState; restored: boolean }>(() => {
    const cached = cache.get(key);
    return { key, list: cached ?? empty(), restored: cached !== undefined };
  });
  const [failure, setFailure] = useState<{ key: string; text: string } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const error = failure?.key === key ? failure.text : null;
  const fail = (e: unknown) => setFailure({ key, text: e instanceof ApiError ? e.detail : String(e) });
  let list = state.list;
  if (state.key !== key) {
    const cached = cache.get(key);
    list = cached ?? empty();
    setState({ key, list, restored: cached !== undefined });
  }

  const update = useCallback(
    (change: (s: ListState) => ListState) =>
      setState((s) => {
        const next = change(s.list);
        remember(s.key, next);
        return { ...s, list: next };
      }),
    [],
  );

  const fetchPage = useCallback(
    async (cursor?: string) => {
      const sep = query.includes("?") ? "&" : "?";
      const path = projectPath(
        projectId,
        `/tasks${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      return api<TaskPage>(path);
    },
    [projectId, query],
  );

  // First page: unless the cache had this list.
  const needsFirst = list.cursor === undefined;
  useEffect(() => {
    if (!needsFirst) return;
    let stopped = false;
    fetchPage().then(
      (page) => {
        if (!stopped) update((s) => ({ ...s, tasks: page.tasks, cursor: page.nextCursor }));
      },
      (e: unknown) => {
        if (!stopped) setFailure({ key, text: e instanceof ApiError ? e.detail : String(e) });
      },
    );
    return () => {
      stopped = true;
    };
  }, [needsFirst, fetchPage, update, key]);

  // A new task arrived: refresh the first page, unless the reader has loaded more pages.
  const seen = useRef<{ key: string; latest: number | null }>({ key, latest });
  useEffect(() => {
    const before = seen.current;
    seen.current = { key, latest };
    if (before.key !== key || before.latest === null || latest === null || latest <= before.latest) return;
    if (list.cursor === undefined || list.tasks.length > 60) return;
    void fetchPage().then(
      (page) =>
        update((s) => {
          const had = new Set(s.tasks.map((t) => t.id));
          return {
            ...s,
            tasks: page.tasks,
            cursor: page.nextCursor,
            fresh: new Set(page.tasks.filter((t) => !had.has(t.id)).map((t) => t.id)),
          };
        }),
      () => undefined,
    );
  }, [latest, key, list.cursor, list.tasks.length, fetchPage, update]);

  // Back to a cached list: its scroll position, once rows are painted.
  const restored = state.key === key && state.restored;
  useLayoutEffect(() => {
    if (restored) window.scrollTo(0, cache.get(key)?.scrollY ?? 0);
  }, [restored, key]);
  useEffect(() => {
    const onScroll = () => {
      const entry = cache.get(key);
      if (entry) entry.scrollY = window.scrollY;
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, [key]);

  async function loadMore() {
    if (!list.cursor) return;
    setFailure(null);
    setLoadingMore(true);
    try {
      const page = await fetchPage(list.cursor);
      update((s) => ({ ...s, tasks: [...s.tasks, ...page.tasks], cursor: page.nextCursor }));
    } catch (e) {
      fail(e);
    } finally {
      setLoadingMore(false);
    }
  }

  return {
    tasks: list.tasks,
    loaded: list.cursor !== undefined,
    hasMore: Boolean(list.cursor),
    fresh: list.fresh,
    selected: list.selected,
    loading: loadingMore || (needsFirst && error === null),
    error,
    loadMore,
    select: (i: number) => update((s) => ({ ...s, selected: i })),
    /** Replaces one row (a new flag), or drops it when it no longer matches the filters. */
    patch: (id: string, change: Partial<TaskListItem> | null) =>
      update((s) => ({
        ...s,
        tasks:
          change === null
            ? s.tasks.filter((t) => t.id !== id)
            : s.tasks.map((t) => (t.id === id ? { ...t, ...change } : t)),
      })),
  };
}
