import { createCommand } from "../command";
import { querySession } from "../../record/queries/session-detail-query";
import { renderTable } from "../output/table";
import { formatMs, formatTime, truncate } from "../output/format";
import { ANALYTICS_OPTIONS, runAnalytics } from "./analytics-command";
import { CliError, usageError } from "../cli-error";
import { EXIT } from "../exit-codes";

const { since: _since, limit: _limit, ...SESSION_OPTIONS } = ANALYTICS_OPTIONS;

export const sessionCommand = createCommand({
  metadata: {
    name: "session",
    group: "analytics",
    summary: "One session's calls in order (id prefix accepted)",
    usage: "[options] <session-id>",
    examples: ["tapline session 0193a1", "tapline session 0193a1c2-… --json"],
  },
  options: SESSION_OPTIONS,
  allowPositionals: true,
  handler: (context) => {
    const [prefix, extra] = context.positionals;
    if (prefix === undefined || prefix === "") throw usageError("give a session id (or the start of one); 'tapline sessions' lists them");
    if (extra !== undefined) throw usageError(`unexpected argument "${extra}"`);
    return runAnalytics(context, { since: "all", limit: Number.MAX_SAFE_INTEGER }, (a) => {
      const lookup = querySession(a.db, prefix, a.filter.serverId);
      if (lookup.found === "none") throw new CliError("session_not_found", `no session starts with "${prefix}"`, EXIT.failure);
      if (lookup.found === "many") {
        throw new CliError("session_ambiguous", `"${prefix}" matches several sessions (${lookup.sessionIds.join(", ")}…): give more of the id`, EXIT.usage);
      }
      const s = lookup.session;
      const header =
        `${a.style.bold("Session")} ${s.sessionId}\n` +
        `  server   ${s.serverId}\n` +
        `  client   ${[s.clientName, s.clientVersion].filter(Boolean).join(" ") || "unknown"}\n` +
        `  started  ${formatTime(s.startedAt, a.now)}   duration ${formatMs(s.durationMs)}   calls ${s.calls}   errors ${s.errors}\n\n`;
      const table = renderTable(
        [{ header: "SEQ", align: "right" }, { header: "+TIME", align: "right" }, { header: "METHOD" }, { header: "TARGET" }, { header: "DURATION", align: "right" }, { header: "STATUS" }, { header: "ERROR" }],
        s.sequence.map((c) => [
          c.kind === "request" ? String(c.seq) : "·",
          formatMs(c.offsetMs),
          c.direction === "s2c" ? `← ${c.method}` : c.method,
          truncate(c.target ?? "-", 40),
          c.kind === "request" ? formatMs(c.durationMs) : "-",
          c.status === "ok" ? c.status : a.style.red(c.status),
          truncate([c.errorCode, c.errorMessage].filter((x) => x !== null).join(" ") || "", 50),
        ]),
        a.style,
      );
      return { json: { session: s }, text: header + table };
    });
  },
});
