/** "Save view": names the current filters, sort and table settings, stored on the server for the project. */
import { useState } from "react";
import { ApiError } from "../../api/client";
import { saveView } from "./api";

export function SaveView(props: { projectId: string; page: string; query: string; tableConfig?: object }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  if (!open)
    return (
      <span className="row">
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Save view
        </button>
        {status && (
          <span role="status" className="small">
            {status}
          </span>
        )}
      </span>
    );
  return (
    <form
      className="row save-view"
      onSubmit={(e) => {
        e.preventDefault();
        saveView(props.projectId, {
          name: name.trim(),
          page: props.page,
          query: props.query.replace(/^\?/, ""),
          ...(props.tableConfig && { table_config: props.tableConfig }),
        }).then(
          (v) => {
            setStatus(`Saved “${v.name}”.`);
            setOpen(false);
            setName("");
          },
          (err: unknown) => setStatus(err instanceof ApiError ? err.detail : String(err)),
        );
      }}
    >
      <label className="field inline">
        <span>View name</span>
        <input name="view_name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <button type="submit" disabled={!name.trim()}>
        Save
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {status && <span role="status">{status}</span>}
    </form>
  );
}
