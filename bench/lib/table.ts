/** Markdown tables and the sections the bench prints and writes to docs/PERFORMANCE.md. */

export interface Table {
  title?: string;
  headers: string[];
  rows: string[][];
}

export function renderTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines: string[] = [];
  if (table.title) lines.push(`**${table.title}**`, "");
  lines.push(`| ${table.headers.map(escape).join(" | ")} |`);
  lines.push(`|${table.headers.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const row of table.rows) lines.push(`| ${row.map(escape).join(" | ")} |`);
  return lines.join("\n");
}

/** One benchmark's output: a heading, some tables, and free notes (method, goal verdicts, skips). */
export interface Section {
  heading: string;
  intro?: string;
  tables: Table[];
  notes: string[];
}

export function renderSection(section: Section): string {
  const parts = [`## ${section.heading}`];
  if (section.intro) parts.push(section.intro);
  for (const table of section.tables) parts.push(renderTable(table));
  if (section.notes.length) parts.push(section.notes.map((n) => `- ${n}`).join("\n"));
  return parts.join("\n\n");
}

export function skippedSection(heading: string, why: string): Section {
  return { heading, tables: [], notes: [why.startsWith("failed:") ? why : `skipped: ${why}`] };
}
