// Ids look like the upstream Python module's (`task_<hex>`, `session_<hex>`), so both clients' data look alike.

function randomHex(): string {
  const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (cryptoApi?.randomUUID) return cryptoApi.randomUUID().replace(/-/g, "");
  let hex = "";
  for (let i = 0; i < 32; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return hex;
}

export function newTaskId(): string {
  return `task_${randomHex()}`;
}

export function newSessionId(): string {
  return `session_${randomHex()}`;
}
