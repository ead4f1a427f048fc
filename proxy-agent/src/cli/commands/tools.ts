import { createCommand } from "../command";
import { queryTools, type ServerTools } from "../../record/queries/tools-query";
import { renderTable, heading } from "../output/table";
import { formatAge, formatTime, truncate } from "../output/format";
import type { Style } from "../output/style";
import { ANALYTICS_OPTIONS, emptyNote, runAnalytics, windowNote, type AnalyticsContext } from "./analytics-command";

export const toolsCommand = createCommand({
  metadata: {
    name: "tools",
    group: "analytics",
    summary: "Tools as last listed, their use, tools never called, and schema changes",
    usage: "[options]",
    description: "Usage counts cover --since (default 7d); the schema and its history are shown whatever the window.",
    examples: ["tapline tools", "tapline tools --server-id github --since 30d", "tapline tools --json | jq '.servers[].neverCalled'"],
  },
  options: ANALYTICS_OPTIONS,
  handler: (context) =>
    runAnalytics(context, { since: "7d", limit: 200 }, (a) => {
      const servers = queryTools(a.db, a.filter).map((s) => ({ ...s, tools: s.tools.slice(0, a.limit) }));
      if (servers.length === 0) return { json: { servers }, text: emptyNote("tools seen (no tools/list captured and no tools/call)", a) };
      return { json: { servers }, text: servers.map((s) => serverSection(s, a)).join("") + "\n" + windowNote(a) };
    }),
});

function serverSection(s: ServerTools, a: AnalyticsContext): string {
  const schemaLine = s.schema
    ? `${s.schema.toolCount} tools listed; this version first seen ${formatTime(s.schema.firstSeen, a.now)}, last seen ${formatAge(s.schema.lastSeen, a.now)}`
    : "no tools/list captured yet (tools below were seen in calls only)";
  let out = heading(`Server ${s.serverId}`, a.style) + a.style.dim(schemaLine) + "\n";
  out += renderTable(
    [{ header: "TOOL" }, { header: "CALLS", align: "right" }, { header: "ERRORS", align: "right" }, { header: "LAST CALL" }, { header: "DESCRIPTION" }],
    s.tools.map((t) => [
      t.inSchema ? t.name : `${t.name} ${a.style.yellow("(not listed)")}`,
      t.calls === 0 ? a.style.dim("0") : String(t.calls),
      t.errors > 0 ? a.style.red(String(t.errors)) : "0",
      formatAge(t.lastCalledAt, a.now),
      truncate(t.description ?? "", 50),
    ]),
    a.style,
  );
  if (s.neverCalled.length) out += `\nNever called: ${s.neverCalled.join(", ")}\n`;
  if (s.changes.length > 1) out += changesTable(s, a.style, a.now);
  return out;
}

function changesTable(s: ServerTools, style: Style, now: number): string {
  return (
    heading("Schema changes", style) +
    renderTable(
      [{ header: "SEEN" }, { header: "ADDED" }, { header: "REMOVED" }, { header: "MODIFIED" }],
      s.changes.map((c, i) => [
        formatTime(c.at, now),
        i === 0 ? `${c.added.length} tools (first capture)` : truncate(c.added.join(", ") || "-", 40),
        truncate(c.removed.join(", ") || "-", 40),
        truncate(c.modified.join(", ") || "-", 40),
      ]),
      style,
    )
  );
}
