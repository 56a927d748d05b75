/** The project's API keys: listed by prefix and last use; a new key is shown once; a key can be revoked. */
import { useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { CopyButton } from "../../components/CopyButton";
import { formatTime } from "../../lib/format";
import { createKey, listKeys, revokeKey, type KeyRecord } from "./api";

export function KeysCard({ projectId }: { projectId: string }) {
  const [keys, setKeys] = useState<KeyRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let stopped = false;
    listKeys(projectId).then(
      (r) => !stopped && setKeys(r.keys),
      (e: unknown) =>
        !stopped &&
        setError(
          e instanceof ApiError && e.status === 404
            ? "This collector has no key management yet (GET /api/projects/:id/keys is missing)."
            : e instanceof ApiError
              ? e.detail
              : String(e),
        ),
    );
    return () => {
      stopped = true;
    };
  }, [projectId, version]);

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    }
  }

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {fresh && (
        <div className="new-key" role="status">
          <p>
            New key, shown <strong>only this once</strong>: copy it now.
          </p>
          <code className="mono" data-testid="new-key">
            {fresh}
          </code>{" "}
          <CopyButton text={fresh} label="Copy key" />
        </div>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await createKey(projectId, name.trim());
            setFresh(r.key);
            setName("");
          });
        }}
      >
        <label className="field inline">
          <span>Name</span>
          <input
            name="key_name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="optional"
          />
        </label>
        <button type="submit">Create key</button>
      </form>
      {error && <p className="error">{error}</p>}
      {keys && (
        <div className="table-wrap">
          <table className="data compact keys-table">
            <thead>
              <tr>
                <th>Prefix</th>
                <th>Name</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <td className="mono" data-label="Prefix">
                    {k.prefix}…
                  </td>
                  <td data-label="Name">{k.name ?? <span className="muted">–</span>}</td>
                  <td data-label="Created">{formatTime(k.created_at)}</td>
                  <td data-label="Last used">{k.last_used_at ? formatTime(k.last_used_at) : "never"}</td>
                  <td data-label="Status">
                    {k.revoked_at ? (
                      <span className="muted">revoked {formatTime(k.revoked_at)}</span>
                    ) : (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => {
                          if (
                            window.confirm(
                              `Revoke the key ${k.prefix}…? Apps and browsers using it lose access.`,
                            )
                          )
                            void run(async () => void (await revokeKey(projectId, k.id)));
                        }}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
