/**
 * Events: the project's definitions with their status and quality (edit, pause, back-fill, delete each),
 * templates, the model endpoint, the backlog.
 */
import { useEffect, useRef, useState } from "react";
import { api, projectPath } from "../../api/client";
import { Link } from "../../lib/router";
import { useApi } from "../../lib/useApi";
import { DefinitionForm } from "./DefinitionForm";
import { EndpointForm } from "./EndpointForm";
import { JudgeForm } from "./JudgeForm";
import { percent, ratio } from "./format";
import { ProgressPanel } from "./ProgressPanel";
import type { EventDefinition, EventsReply, JudgeReply, Metrics, Progress } from "./types";

/** The detector's settings in a few words, for the table. */
function settingSummary(event: EventDefinition): string {
  const { config } = event;
  if (config.keywords) return config.keywords.join(", ");
  if (config.pattern) return `/${config.pattern}/`;
  if (config.categories) return config.categories.join(" · ");
  return config.prompt ?? event.description;
}

export function EventsPage({ projectId }: { projectId: string }) {
  const events = useApi<EventsReply>(projectPath(projectId, "/events"));
  const metrics = useApi<{ metrics: Metrics[] }>(projectPath(projectId, "/analytics/metrics"));
  const progress = useApi<Progress>(projectPath(projectId, "/analytics/progress"));
  const judge = useApi<JudgeReply>(projectPath(projectId, "/analytics/judge"));
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const editor = useRef<HTMLDivElement>(null);
  const base = `/projects/${encodeURIComponent(projectId)}`;
  const reloadMetrics = metrics.reload;
  const reloadProgress = progress.reload;

  useEffect(() => {
    const timer = setInterval(() => {
      reloadMetrics();
      reloadProgress();
    }, 2_000);
    return () => clearInterval(timer);
  }, [reloadMetrics, reloadProgress]);

  useEffect(() => {
    if (editing) editor.current?.scrollIntoView({ block: "nearest" });
  }, [editing]);

  async function act(run: () => Promise<unknown>) {
    setError(null);
    setNotice(null);
    try {
      await run();
      events.reload();
      progress.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  const data = events.data;
  return (
    <div className="page events-page">
      <div className="page-head">
        <h1>Events</h1>
      </div>
      {error && <p className="error">{error}</p>}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {events.error && <p className="error">{events.error.detail}</p>}
      {data && (
        <>
          <section className="card">
            <h2>Definitions</h2>
            {data.events.length === 0 && (
              <p className="muted">No event yet: add a template or create one below.</p>
            )}
            <table className="data events-table">
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Detector</th>
                  <th>Status</th>
                  <th className="num">Detected</th>
                  <th className="num">Precision</th>
                  <th className="num">Recall</th>
                  <th className="num">F1 / MSE</th>
                  <th className="num">Corrections</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.events.map((event) => {
                  const m = metrics.data?.metrics.find((row) => row.event_id === event.id);
                  return (
                    <tr key={event.id} data-event-row={event.name}>
                      <td>
                        <strong>{event.name}</strong>
                        <div className="muted small" data-event-version={event.version}>
                          {event.scope} · v{event.version}
                          {event.webhook_url && " · webhook"}
                        </div>
                        <div className="muted small" data-event-setting>
                          {settingSummary(event)}
                        </div>
                      </td>
                      <td>{event.detector}</td>
                      <td className={event.status === "paused" ? "bad" : ""} data-status={event.status}>
                        {event.status}
                      </td>
                      <td className="num">{m ? `${m.detected} / ${m.detections}` : "–"}</td>
                      <td className="num" data-metric="precision">
                        {percent(m?.precision)}
                      </td>
                      <td className="num" data-metric="recall">
                        {percent(m?.recall)}
                      </td>
                      <td className="num">
                        {m?.mse !== null && m?.mse !== undefined
                          ? `MSE ${ratio(m.mse)}`
                          : ratio(m?.f1 ?? null)}
                      </td>
                      <td className="num" data-metric="corrections">
                        {m?.corrections ?? 0}
                      </td>
                      <td className="actions nowrap">
                        <Link to={`${base}/tasks?range=all&event=${encodeURIComponent(event.id)}`}>
                          Tasks
                        </Link>{" "}
                        <button type="button" onClick={() => setEditing(event.id)}>
                          Edit
                        </button>{" "}
                        <button
                          type="button"
                          onClick={() =>
                            void act(() =>
                              api(projectPath(projectId, `/events/${encodeURIComponent(event.id)}`), {
                                method: "PATCH",
                                body: { active: !event.active },
                              }),
                            )
                          }
                        >
                          {event.active ? "Pause" : "Resume"}
                        </button>{" "}
                        <button
                          type="button"
                          onClick={() =>
                            void act(() =>
                              api(projectPath(projectId, "/events/backfill"), {
                                method: "POST",
                                body: { event_ids: [event.id] },
                              }),
                            )
                          }
                        >
                          Back-fill
                        </button>{" "}
                        {deleting === event.id ? (
                          <>
                            <button
                              type="button"
                              className="danger"
                              onClick={() =>
                                void act(async () => {
                                  await api(
                                    projectPath(projectId, `/events/${encodeURIComponent(event.id)}`),
                                    { method: "DELETE" },
                                  );
                                  setDeleting(null);
                                  if (editing === event.id) setEditing(null);
                                })
                              }
                            >
                              Delete it and its detections
                            </button>{" "}
                            <button type="button" className="ghost" onClick={() => setDeleting(null)}>
                              Keep
                            </button>
                          </>
                        ) : (
                          <button type="button" className="ghost" onClick={() => setDeleting(event.id)}>
                            Delete
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          {editing && (
            <div ref={editor}>
              {(() => {
                const current = data.events.find((event) => event.id === editing);
                return current ? (
                  <DefinitionForm
                    key={current.id}
                    projectId={projectId}
                    definition={current}
                    onCancel={() => setEditing(null)}
                    onSaved={(saved) => {
                      setEditing(null);
                      setNotice(
                        saved.version === current.version
                          ? `Saved “${saved.name}” (still version ${saved.version}).`
                          : `Saved “${saved.name}” as version ${saved.version}: new tasks are detected with it.`,
                      );
                      events.reload();
                      metrics.reload();
                    }}
                  />
                ) : null;
              })()}
            </div>
          )}
          <section className="card">
            <h2>Templates</h2>
            <ul className="templates">
              {data.templates.map((template) => (
                <li key={template.id}>
                  <button
                    type="button"
                    onClick={() =>
                      void act(() =>
                        api(projectPath(projectId, "/events"), {
                          method: "POST",
                          body: { template: template.id },
                        }),
                      )
                    }
                  >
                    Add
                  </button>{" "}
                  <strong>{template.definition.name}</strong>{" "}
                  <span className="muted small">
                    {template.definition.description} ({template.definition.detector},{" "}
                    {template.definition.scope})
                  </span>{" "}
                  {template.needs_model && <span className="badge">needs the model endpoint</span>}
                </li>
              ))}
            </ul>
          </section>
          <div className="chart-grid">
            <DefinitionForm projectId={projectId} onSaved={() => events.reload()} />
            <EndpointForm
              key={data.endpoint.configured ? data.endpoint.base_url : "none"}
              projectId={projectId}
              endpoint={data.endpoint}
              onSaved={() => events.reload()}
            />
          </div>
        </>
      )}
      {judge.data && <JudgeForm projectId={projectId} judge={judge.data} onSaved={() => judge.reload()} />}
      {progress.data && (
        <ProgressPanel projectId={projectId} progress={progress.data} onChange={() => progress.reload()} />
      )}
    </div>
  );
}
