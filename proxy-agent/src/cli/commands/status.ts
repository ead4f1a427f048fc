import { createCommand } from "../command";
import { queryStatus } from "../../record/queries/status-query";
import { renderTable } from "../output/table";
import { formatAge, formatBytes, formatTime } from "../output/format";
import { ANALYTICS_OPTIONS, runAnalytics } from "./analytics-command";

export const statusCommand = createCommand({
  metadata: {
    name: "status",
    group: "analytics",
    summary: "The local store and cloud shipping: size, records, last call per server, backlog, last ship",
    usage: "[options]",
    examples: ["tapline status", "tapline status --json"],
  },
  options: { db: ANALYTICS_OPTIONS.db!, json: ANALYTICS_OPTIONS.json! },
  handler: (context) =>
    runAnalytics(context, { since: "all", limit: Number.MAX_SAFE_INTEGER }, (a) => {
      const status = queryStatus(a.db, a.dbPath);
      const lines = [
        `${a.style.bold("Database")}  ${status.dbPath}`,
        `  size     ${formatBytes(status.sizeBytes)} (schema v${status.schemaVersion})`,
        `  records  ${status.records}`,
        `  oldest   ${formatTime(status.oldest, a.now)}`,
        `  newest   ${formatTime(status.newest, a.now)} (${formatAge(status.newest, a.now)})`,
        "",
      ];
      const servers = status.servers.length
        ? renderTable(
            [{ header: "SERVER" }, { header: "RECORDS", align: "right" }, { header: "LAST CALL" }],
            status.servers.map((s) => [s.serverId, String(s.records), `${formatTime(s.lastCallAt, a.now)} (${formatAge(s.lastCallAt, a.now)})`]),
            a.style,
          )
        : "No calls recorded yet.\n";
      const cloud = status.cloud.length
        ? "\n" +
          status.cloud
            .map((c) =>
              [
                `${a.style.bold("Cloud")}     ${c.destination}`,
                `  state         ${c.state}${c.lastError ? ` — ${c.lastError}` : ""}`,
                `  last shipped  ${c.lastSuccessAt ? `${formatTime(c.lastSuccessAt, a.now)} (${formatAge(c.lastSuccessAt, a.now)})` : "never"}`,
                `  backlog       ${c.backlog} records not yet acknowledged`,
                `  dropped       ${c.dropped} records lost before shipping (disk cap or retention)`,
              ].join("\n"),
            )
            .join("\n\n") + "\n"
        : "\nCloud shipping: not configured (run the proxy with --api-key to ship records).\n";
      return { json: { status }, text: lines.join("\n") + servers + cloud };
    }),
});
