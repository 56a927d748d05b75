/** The optional LLM judge: on or off, the team's guidelines, the share of tasks judged; its agreement with humans. */
import { useState, type FormEvent } from "react";
import { api, projectPath } from "../../api/client";
import { percent } from "./format";
import type { JudgeReply } from "./types";

export function JudgeForm({
  projectId,
  judge,
  onSaved,
}: {
  projectId: string;
  judge: JudgeReply;
  onSaved: () => void;
}) {
  const [enabled, setEnabled] = useState(judge.settings.enabled);
  const [guidelines, setGuidelines] = useState(judge.settings.guidelines);
  const [rate, setRate] = useState(String(judge.settings.sample_rate));
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await api(projectPath(projectId, "/analytics/judge"), {
        method: "PUT",
        body: { enabled, guidelines, sample_rate: Number(rate) },
      });
      onSaved();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  const { agreement } = judge;
  return (
    <form className="card judge-form" onSubmit={(e) => void save(e)}>
      <h2>LLM judge</h2>
      <p className="muted small">
        Says success or failure for a sample of new tasks, as feedback of its own source: a human flag always
        wins. Agreement with human flags: {percent(agreement.rate)} over {agreement.n} tasks.
      </p>
      <label className="field">
        <span>
          <input
            type="checkbox"
            aria-label="Judge enabled"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
          />{" "}
          Enabled
        </span>
      </label>
      <label className="field">
        <span>Guidelines</span>
        <input
          aria-label="Judge guidelines"
          value={guidelines}
          onChange={(e) => setGuidelines(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Sample rate (0–1)</span>
        <input aria-label="Judge sample rate" value={rate} onChange={(e) => setRate(e.target.value)} />
      </label>
      {error && <p className="error">{error}</p>}
      <button type="submit">Save judge</button>
    </form>
  );
}
