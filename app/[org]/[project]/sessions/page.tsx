import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/app/_components/button";
import { timeAgo } from "@/app/_components/format";
import { formatCount, formatMs, formatTime } from "../_components/format";
import { SortableTable } from "../_components/sortable-table";
import { load, NoData, Pager, projectView, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import { one, keepParams, type SearchParams } from "../_components/view-params";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const cursor = one(v.sp.cursor) ?? null;
  const client = one(v.sp.client);
  const res = await load(`${v.base}/sessions`, () => v.api.analytics.sessions({ projectId: v.project.id, range: v.range, cursor, client, limit: 50 }));
  if (!res.ok) return <ViewError what="the sessions" message={res.message} />;
  const { sessions, nextCursor } = res.data;

  return (
    <div className="space-y-6">
      <ViewHeader
        title="Sessions"
        description={`MCP sessions active in ${v.rangeLabel}${client ? ` from ${client}` : ""}, most recently active first. A session opens its timeline.`}
        actions={
          client ? (
            <Link href={`${v.base}/sessions${v.q}`} className={buttonClass("secondary", "sm")}>
              All clients
            </Link>
          ) : null
        }
      />
      {sessions.length === 0 ? (
        <NoData title="No sessions in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          No client had an MCP session with the server in {v.rangeLabel}. Pick a longer range above.
        </NoData>
      ) : (
        <SortableTable
          caption="Sessions"
          defaultSort={{ key: "last", dir: "desc" }}
          columns={[
            { key: "session", label: "Session" },
            { key: "client", label: "Client" },
            { key: "start", label: "Started" },
            { key: "duration", label: "Duration", align: "right" },
            { key: "calls", label: "Calls", align: "right" },
            { key: "errors", label: "Errors", align: "right" },
            { key: "last", label: "Last call" },
          ]}
          rows={sessions.map((s) => ({
            id: s.sessionId,
            href: `${v.base}/sessions/${encodeURIComponent(s.sessionId)}${v.q}`,
            cells: {
              session: { value: s.sessionId, display: <span className="font-mono text-xs">{s.sessionId}</span> },
              client: { value: s.clientName, display: s.clientName ? `${s.clientName}${s.clientVersion ? ` ${s.clientVersion}` : ""}` : "unknown" },
              start: { value: s.startedAt.getTime(), display: <span title={formatTime(s.startedAt)}>{timeAgo(s.startedAt)}</span> },
              duration: { value: s.durationMs, display: formatMs(s.durationMs) },
              calls: { value: s.calls, display: formatCount(s.calls) },
              errors: {
                value: s.errors,
                display: s.errors ? <span className="font-medium text-red-600 dark:text-red-400">{formatCount(s.errors)}</span> : <span className="text-zinc-400">0</span>,
              },
              last: { value: s.lastCallAt.getTime(), display: <span title={formatTime(s.lastCallAt)}>{timeAgo(s.lastCallAt)}</span> },
            },
          }))}
        />
      )}
      <Pager
        first={cursor ? `${v.base}/sessions${keepParams(v.sp, { client })}` : null}
        next={nextCursor ? `${v.base}/sessions${keepParams(v.sp, { client, cursor: nextCursor })}` : null}
      />
    </div>
  );
}
