import { createCommand } from "../command";
import { queryStats, type GroupStats } from "../../record/queries/stats-query";
import { renderTable, heading } from "../output/table";
import { formatBytes, formatMs, formatPercent } from "../output/format";
import type { Style } from "../output/style";
import { ANALYTICS_OPTIONS, emptyNote, runAnalytics, windowNote } from "./analytics-command";

export const statsCommand = createCommand({
  metadata: {
    name: "stats",
    group: "analytics",
    summary: "Calls, error rate, latency percentiles and sizes per tool, method and client",
    usage: "[options]",
    description:
      "Percentiles are exact, computed by linear interpolation between ranks (PostgreSQL's percentile_cont),\n" +
      "so they match the cloud dashboard. Errors are every status but ok and cancelled.",
    examples: ["tapline stats", "tapline stats --since 7d --server-id github", "tapline stats --json | jq '.tools[0]'"],
  },
  options: ANALYTICS_OPTIONS,
  handler: (context) =>
    runAnalytics(context, { since: "24h", limit: 50 }, (a) => {
      const stats = queryStats(a.db, a.filter);
      const limited = { tools: stats.tools.slice(0, a.limit), methods: stats.methods.slice(0, a.limit), clients: stats.clients.slice(0, a.limit) };
      if (stats.methods.length === 0) return { json: limited, text: emptyNote("calls recorded", a) };
      const text =
        heading("Tools", a.style) +
        (limited.tools.length ? groupTable("tool", limited.tools, a.style) : "(no tools/call)\n") +
        heading("Methods", a.style) +
        groupTable("method", limited.methods, a.style) +
        heading("Clients", a.style) +
        groupTable("client", limited.clients, a.style) +
        "\n" +
        windowNote(a);
      return { json: limited, text };
    }),
});

function groupTable(label: string, groups: readonly GroupStats[], style: Style): string {
  return renderTable(
    [
      { header: label.toUpperCase() },
      { header: "CALLS", align: "right" },
      { header: "ERR%", align: "right" },
      { header: "P50", align: "right" },
      { header: "P95", align: "right" },
      { header: "P99", align: "right" },
      { header: "MAX", align: "right" },
      { header: "AVG IN", align: "right" },
      { header: "AVG OUT", align: "right" },
    ],
    groups.map((g) => [
      g.name,
      String(g.calls),
      g.errors > 0 ? style.red(formatPercent(g.errorRate)) : formatPercent(0),
      formatMs(g.p50Ms),
      formatMs(g.p95Ms),
      formatMs(g.p99Ms),
      formatMs(g.maxMs),
      formatBytes(g.meanBytesIn),
      formatBytes(g.meanBytesOut),
    ]),
    style,
  );
}
