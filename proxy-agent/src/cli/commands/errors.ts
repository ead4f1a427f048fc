import { createCommand } from "../command";
import { queryErrorGroups } from "../../record/queries/error-groups-query";
import { renderTable } from "../output/table";
import { formatTime, truncate } from "../output/format";
import { ANALYTICS_OPTIONS, emptyNote, runAnalytics, windowNote } from "./analytics-command";

export const errorsCommand = createCommand({
  metadata: {
    name: "errors",
    group: "analytics",
    summary: "Failed calls grouped by tool, error code and message",
    usage: "[options]",
    description:
      "Messages are normalised before grouping: numbers, UUIDs, ids, paths, URLs and quoted strings\n" +
      "become <n>, <uuid>, <id>, <path>, <url> and <str>, so 'user 42 not found' and 'user 7 not found' are one group.",
    examples: ["tapline errors", "tapline errors --since 7d --json"],
  },
  options: ANALYTICS_OPTIONS,
  handler: (context) =>
    runAnalytics(context, { since: "24h", limit: 50 }, (a) => {
      const groups = queryErrorGroups(a.db, a.filter, a.limit);
      if (groups.length === 0) return { json: { groups }, text: emptyNote("errors", a) };
      const table = renderTable(
        [{ header: "COUNT", align: "right" }, { header: "TARGET" }, { header: "CODE" }, { header: "MESSAGE" }, { header: "FIRST" }, { header: "LAST" }],
        groups.map((g) => [
          a.style.red(String(g.count)),
          truncate(g.target, 32),
          g.errorCode === null ? g.status : `${g.status} ${g.errorCode}`,
          truncate(g.message || "-", 60),
          formatTime(g.firstSeen, a.now),
          formatTime(g.lastSeen, a.now),
        ]),
        a.style,
      );
      return { json: { groups }, text: table + windowNote(a) };
    }),
});
