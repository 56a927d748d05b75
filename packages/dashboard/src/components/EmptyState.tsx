/** Shown when a project has no task yet: the exact snippet to start logging to this server. */
export function EmptyState({ projectId }: { projectId: string }) {
  const baseUrl = `${window.location.origin}/v2`;
  const env = [
    `export PHOSPHO_API_KEY="<your project API key>"`,
    `export PHOSPHO_PROJECT_ID="${projectId}"`,
    `export PHOSPHO_BASE_URL="${baseUrl}"`,
  ].join("\n");
  const code = [
    `import { phospho } from "phospho";`,
    ``,
    `// Reads PHOSPHO_API_KEY, PHOSPHO_PROJECT_ID and PHOSPHO_BASE_URL`,
    `phospho.init();`,
    ``,
    `phospho.log({ input: "What's the capital of Fashion?", output: "It's Paris of course." });`,
    `await phospho.flush();`,
  ].join("\n");
  const curl = [
    `curl -X POST "${baseUrl}/log/${projectId}" \\`,
    `  -H "Authorization: Bearer $PHOSPHO_API_KEY" -H "Content-Type: application/json" \\`,
    `  -d '{"batched_log_events":[{"input":"Hello","output":"Hi!"}]}'`,
  ].join("\n");
  return (
    <section className="card empty-state" data-testid="empty-state">
      <h2>No tasks yet</h2>
      <p>
        Log your first task to project <code>{projectId}</code> through this server, whose base URL is{" "}
        <code>{baseUrl}</code>. Set these environment variables:
      </p>
      <pre className="snippet">{env}</pre>
      <p>Then, in your app:</p>
      <pre className="snippet">{code}</pre>
      <p>Or with curl:</p>
      <pre className="snippet">{curl}</pre>
      <p className="muted">New tasks appear here on their own, without reloading.</p>
    </section>
  );
}
