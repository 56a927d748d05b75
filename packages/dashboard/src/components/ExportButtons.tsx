/** Download the current filtered view. Plain links: the server streams the file, the browser saves it. */
import { filterQuery } from "../lib/params";

export function ExportButtons({ projectId, params }: { projectId: string; params: URLSearchParams }) {
  const base = `/api/projects/${encodeURIComponent(projectId)}/export`;
  return (
    <span className="export">
      <a className="button secondary" href={`${base}${filterQuery(params, { format: "csv" })}`} download>
        Export CSV
      </a>
      <a className="button secondary" href={`${base}${filterQuery(params, { format: "jsonl" })}`} download>
        Export JSONL
      </a>
    </span>
  );
}
