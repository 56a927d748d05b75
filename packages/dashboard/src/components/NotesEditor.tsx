/** Editable owner notes of a task (stored as a `notes` feedback with source `owner`). */
import { useState } from "react";
import { api, ApiError, projectPath } from "../api/client";
import type { TaskDetail } from "../api/types";

export function NotesEditor(props: {
  projectId: string;
  taskId: string;
  notes: string | null;
  onSaved: (d: TaskDetail) => void;
}) {
  const [draft, setDraft] = useState(props.notes ?? "");
  const [status, setStatus] = useState<string | null>(null);

  async function save() {
    setStatus("Saving…");
    try {
      const path = projectPath(props.projectId, `/tasks/${encodeURIComponent(props.taskId)}/notes`);
      const detail = await api<TaskDetail>(path, {
        method: "PUT",
        body: { notes: draft === "" ? null : draft },
      });
      setStatus("Saved");
      props.onSaved(detail);
    } catch (e) {
      setStatus(e instanceof ApiError ? e.detail : String(e));
    }
  }

  return (
    <div className="notes-editor">
      <textarea
        name="notes"
        rows={3}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder="Notes about this task…"
      />
      <div className="row">
        <button type="button" onClick={() => void save()} disabled={draft === (props.notes ?? "")}>
          Save notes
        </button>
        {status && <span className="muted small">{status}</span>}
      </div>
    </div>
  );
}
