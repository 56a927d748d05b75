/** The backlog: jobs per kind, back-fills (done / total), the rate, and failed jobs with their error and a retry. */
import { api, projectPath } from "../../api/client";
import { formatCount } from "../../lib/format";
import type { Progress } from "./types";

export function ProgressPanel({
  projectId,
  progress,
  onChange,
}: {
  projectId: string;
  progress: Progress;
  onChange: () => void;
}) {
  async function retry(jobId?: string) {
    await api(projectPath(projectId, "/analytics/jobs/retry"), {
      method: "POST",
      body: jobId ? { job_id: jobId } : {},
    });
    onChange();
  }
  const pending = progress.jobs.reduce((sum, j) => sum + j.queued + j.running, 0);
  return (
    <section className="card progress-panel">
      <h2>Backlog</h2>
      <p className="small" data-testid="backlog">
        {formatCount(pending)} jobs waiting · {formatCount(progress.waiting_tasks)} new tasks not yet handed
        over · {formatCount(progress.rate_per_minute)} jobs done in the last minute
      </p>
      {progress.backfills.map((b) => (
        <p key={b.id} className="small" data-backfill={b.status}>
          Back-fill {b.status}: {formatCount(b.done)} / {formatCount(b.total)}{" "}
          <progress max={Math.max(1, b.total)} value={b.done} />
        </p>
      ))}
      {progress.failed.length > 0 && (
        <>
          <h3>Failed jobs</h3>
          <button type="button" onClick={() => void retry()}>
            Retry all
          </button>
          <ul className="small">
            {progress.failed.map((job) => (
              <li key={job.id}>
                {job.kind} after {job.attempts} attempts: <span className="error">{job.error}</span>{" "}
                <button type="button" className="ghost" onClick={() => void retry(job.id)}>
                  Retry
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
