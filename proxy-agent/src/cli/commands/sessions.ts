import { createCommand } from "../command";
import { querySessions } from "../../record/queries/sessions-query";
import { renderTable } from "../output/table";
import { formatMs, formatTime } from "../output/format";
import { ANALYTICS_OPTIONS, emptyNote, runAnalytics, windowNote } from "./analytics-command";

export const sessionsCommand = createCommand({
  metadata: {
    name: "sessions",
    group: "analytics",
    summary: "Recent client sessions: client, duration, calls, errors",
    usage: "[options]",
    examples: ["tapline sessions", "tapline sessions --since 1h", "tapline session 0193a1"],
  },
  options: ANALYTICS_OPTIONS,
  handler: (context) =>
    runAnalytics(context, { since: "24h", limit: 50 }, (a) => {
      const sessions = querySessions(a.db, a.filter, a.limit);
      if (sessions.length === 0) return { json: { sessions }, text: emptyNote("sessions", a) };
      const table = renderTable(
        [{ header: "SESSION" }, { header: "CLIENT" }, { header: "SERVER" }, { header: "STARTED" }, { header: "DURATION", align: "right" }, { header: "CALLS", align: "right" }, { header: "ERRORS", align: "right" }],
        sessions.map((s) => [
          s.sessionId,
          [s.clientName, s.clientVersion].filter(Boolean).join(" ") || "-",
          s.serverId,
          formatTime(s.startedAt, a.now),
          formatMs(s.durationMs),
          String(s.calls),
          s.errors > 0 ? a.style.red(String(s.errors)) : "0",
        ]),
        a.style,
      );
      return { json: { sessions }, text: table + windowNote(a) };
    }),
});
