/**
 * The tasks table: configurable columns with resizable widths, header-click sort, a selected row for keyboard
 * triage, inline thumbs. Under 720 px each row is a card (styles.css), so nothing scrolls sideways.
 */
import {
  useEffect,
  useRef,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from "react";
import type { TaskDetail, TaskListItem } from "../../api/types";
import { FlagButtons } from "../../components/FlagButtons";
import { Link, navigate } from "../../lib/router";
import { zoneName } from "../../lib/time";
import { columnFor, type Column } from "./columns";
import type { TableConfig } from "./useTableConfig";

const MIN_WIDTH = 50;
const MAX_WIDTH = 1200;
const clampWidth = (width: number) => Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.round(width)));

export function TasksTable(props: {
  projectId: string;
  tasks: TaskListItem[];
  config: TableConfig;
  onConfig: (change: Partial<TableConfig>) => void;
  sort: string;
  onSort: (sort: string) => void;
  selected: number;
  onSelect: (index: number) => void;
  fresh?: Set<string>;
  onFlag: (task: TaskListItem, detail: TaskDetail) => void;
}) {
  const { projectId, tasks, config, selected } = props;
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const columns = config.columns.map(columnFor).filter((c): c is Column => c !== undefined);
  const body = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    const row = body.current?.querySelector<HTMLElement>(`tr[data-index="${selected}"]`);
    row?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  function startResize(e: ReactPointerEvent, column: Column) {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const start = config.widths[column.id] ?? column.width;
    let width = start;
    const move = (ev: PointerEvent) => {
      width = clampWidth(start + ev.clientX - startX);
      const th = document.querySelector<HTMLElement>(`th[data-column="${CSS.escape(column.id)}"]`);
      if (th) th.style.width = `${width}px`;
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      props.onConfig({ widths: { ...config.widths, [column.id]: width } });
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  /**
   * The handle is a focusable separator: ←/→ narrow or widen by 10 px (50 with Shift), Home goes back to the
   * column's default width. Kept like a mouse resize, per project.
   */
  function keyResize(e: ReactKeyboardEvent, column: Column) {
    const current = config.widths[column.id] ?? column.width;
    const step = e.shiftKey ? 50 : 10;
    let width: number | undefined;
    if (e.key === "ArrowLeft") width = current - step;
    else if (e.key === "ArrowRight") width = current + step;
    else if (e.key === "Home") width = column.width;
    if (width === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    props.onConfig({ widths: { ...config.widths, [column.id]: clampWidth(width) } });
  }

  function headerSort(column: Column) {
    if (!column.sort) return;
    const desc = `-${column.sort}`;
    props.onSort(props.sort === desc ? column.sort : desc);
  }

  return (
    <div className="table-wrap">
      <table className={`data tasks-table configurable ${config.density}`}>
        <thead>
          <tr>
            {columns.map((c) => {
              const active =
                props.sort === c.sort ? "ascending" : props.sort === `-${c.sort}` ? "descending" : undefined;
              return (
                <th
                  key={c.id}
                  data-column={c.id}
                  className={c.numeric ? "num" : ""}
                  style={{ width: config.widths[c.id] ?? c.width }}
                  aria-sort={c.sort ? (active ?? "none") : undefined}
                >
                  {c.sort ? (
                    <button type="button" className="sort-header" onClick={() => headerSort(c)}>
                      {c.label}
                      {c.id === "time" && <span className="muted small"> ({zoneName()})</span>}
                      {active === "ascending" ? " ▲" : active === "descending" ? " ▼" : ""}
                    </button>
                  ) : (
                    c.label
                  )}
                  <span
                    className="resize-handle"
                    role="separator"
                    tabIndex={0}
                    aria-orientation="vertical"
                    aria-label={`Resize ${c.label} column`}
                    aria-valuemin={MIN_WIDTH}
                    aria-valuemax={MAX_WIDTH}
                    aria-valuenow={config.widths[c.id] ?? c.width}
                    aria-valuetext={`${config.widths[c.id] ?? c.width} pixels`}
                    title="Drag, or focus and press ← →, to resize"
                    onPointerDown={(e) => startResize(e, c)}
                    onKeyDown={(e) => keyResize(e, c)}
                  />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody ref={body}>
          {tasks.map((t, i) => {
            const href = `${base}/tasks/${encodeURIComponent(t.id)}`;
            return (
              <tr
                key={t.id}
                data-task-id={t.id}
                data-index={i}
                aria-selected={i === selected}
                className={`clickable ${i === selected ? "selected" : ""} ${props.fresh?.has(t.id) ? "fresh" : ""}`}
                onClick={() => {
                  props.onSelect(i);
                  navigate(href);
                }}
              >
                {columns.map((c) => (
                  <td
                    key={c.id}
                    data-label={c.label}
                    className={`${c.numeric ? "num" : ""} ${c.id === "input" || c.id === "output" ? "text-cell" : "nowrap"} col-${c.id.replace(/[^a-z]/g, "")}`}
                  >
                    {c.id === "time" ? (
                      <Link to={href} onClick={(e) => e.stopPropagation()}>
                        {c.cell(t)}
                      </Link>
                    ) : c.id === "flag" ? (
                      <>
                        <FlagButtons
                          projectId={projectId}
                          taskId={t.id}
                          flag={t.flag}
                          onChange={(d) => props.onFlag(t, d)}
                        />
                        {t.has_notes && (
                          <span className="badge" title="Has notes">
                            notes
                          </span>
                        )}
                      </>
                    ) : c.id === "session" && t.session_id ? (
                      <Link
                        to={`${base}/sessions/${encodeURIComponent(t.session_id)}`}
                        onClick={(e) => e.stopPropagation()}
                      >
                        {c.cell(t)}
                      </Link>
                    ) : c.id === "user" && t.user_id ? (
                      <Link
                        to={`${base}/users/${encodeURIComponent(t.user_id)}`}
                        onClick={(e) => e.stopPropagation()}
                      >
                        {c.cell(t)}
                      </Link>
                    ) : (
                      c.cell(t)
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
