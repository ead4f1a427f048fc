import { createCommand } from "../command";
import { querySlowCalls } from "../../record/queries/slow-query";
import { parseDuration } from "../../config/duration";
import { renderTable } from "../output/table";
import { formatMs, formatTime, truncate } from "../output/format";
import { ANALYTICS_OPTIONS, emptyNote, runAnalytics, windowNote } from "./analytics-command";

export const slowCommand = createCommand({
  metadata: {
    name: "slow",
    group: "analytics",
    summary: "The slowest calls over a threshold",
    usage: "[options]",
    examples: ["tapline slow", "tapline slow --threshold 2s --since 7d", "tapline slow --json --limit 5"],
  },
  options: {
    threshold: { type: "string", valueName: "duration", description: "Only calls at least this slow (default 500ms)" },
    ...ANALYTICS_OPTIONS,
  },
  handler: (context) => {
    const thresholdMs = parseDuration((context.values.threshold as string | undefined) ?? "500ms", "--threshold");
    return runAnalytics(context, { since: "24h", limit: 20 }, (a) => {
      const calls = querySlowCalls(a.db, a.filter, thresholdMs, a.limit);
      const json = { thresholdMs, calls };
      if (calls.length === 0) return { json, text: emptyNote(`calls slower than ${formatMs(thresholdMs)}`, a) };
      const table = renderTable(
        [{ header: "TIME" }, { header: "DURATION", align: "right" }, { header: "METHOD" }, { header: "TARGET" }, { header: "STATUS" }, { header: "CLIENT" }, { header: "SESSION" }],
        calls.map((c) => [
          formatTime(c.ts, a.now),
          a.style.yellow(formatMs(c.durationMs)),
          c.method,
          truncate(c.target ?? "-", 40),
          c.status === "ok" ? c.status : a.style.red(c.status),
          c.clientName ?? "-",
          truncate(c.sessionId ?? "-", 12),
        ]),
        a.style,
      );
      return { json, text: table + windowNote(a) };
    });
  },
});
