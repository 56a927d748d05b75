/**
 * Inline thumbs up / down: sets the task's flag through the API (feedback with source `owner`). Clicking the
 * active thumb again removes the flag (`DELETE …/flag`, feedback kind `flag_removed`), with no duplicate row.
 */
import { useState } from "react";
import { api, ApiError, projectPath } from "../api/client";
import type { TaskDetail } from "../api/types";
import { Thumb } from "./Thumb";

/** Gives `value`, or removes the flag when the task already has it. Resolves to the task after the change. */
export function toggleFlag(
  projectId: string,
  taskId: string,
  current: string | null,
  value: "success" | "failure",
): Promise<TaskDetail> {
  const path = projectPath(projectId, `/tasks/${encodeURIComponent(taskId)}/flag`);
  return current === value
    ? api<TaskDetail>(path, { method: "DELETE" })
    : api<TaskDetail>(path, { method: "POST", body: { flag: value } });
}

export function FlagButtons(props: {
  projectId: string;
  taskId: string;
  flag: string | null;
  onChange?: (detail: TaskDetail) => void;
  /** Show "Success" / "Failure" beside the icons. */
  labelled?: boolean;
}) {
  const [flag, setFlag] = useState(props.flag);
  const [prop, setProp] = useState(props.flag);
  const [error, setError] = useState<string | null>(null);
  if (prop !== props.flag) {
    setProp(props.flag);
    setFlag(props.flag);
  }

  async function give(value: "success" | "failure") {
    setError(null);
    try {
      const detail = await toggleFlag(props.projectId, props.taskId, flag, value);
      setFlag(detail.task.flag);
      props.onChange?.(detail);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  }

  return (
    <span className="flag-buttons" onClick={(e) => e.stopPropagation()}>
      <button
        type="button"
        className={`thumb thumb-up ${flag === "success" ? "on success" : ""}`}
        aria-label={props.labelled ? undefined : "Thumbs up"}
        aria-pressed={flag === "success"}
        title={flag === "success" ? "Remove the success flag" : "Mark as success"}
        onClick={() => void give("success")}
      >
        <Thumb />
        {props.labelled && "Success"}
      </button>
      <button
        type="button"
        className={`thumb thumb-down ${flag === "failure" ? "on failure" : ""}`}
        aria-label={props.labelled ? undefined : "Thumbs down"}
        aria-pressed={flag === "failure"}
        title={flag === "failure" ? "Remove the failure flag" : "Mark as failure"}
        onClick={() => void give("failure")}
      >
        <Thumb down />
        {props.labelled && "Failure"}
      </button>
      {error && <span className="error small">{error}</span>}
    </span>
  );
}
