import type { Metadata } from "next";
import { Sparkline } from "@/app/_components/charts/sparkline";
import { timeAgo } from "@/app/_components/format";
import { formatCount, formatPct, formatTime } from "../_components/format";
import { SortableTable } from "../_components/sortable-table";
import { load, NoData, projectView, StatCard, statusLabel, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import type { SearchParams } from "../_components/view-params";

export const metadata: Metadata = { title: "Errors" };

export default async function ErrorsPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const [res, overview] = await Promise.all([
    load(`${v.base}/errors`, () => v.api.analytics.errorGroups({ projectId: v.project.id, range: v.range, limit: 100 })),
    load(`${v.base}/errors`, () => v.api.analytics.overview({ projectId: v.project.id, range: v.range, top: 1 })),
  ]);
  if (!res.ok) return <ViewError what="the error groups" message={res.message} />;
  const { groups, totalErrors } = res.data;
  const calls = overview.ok ? overview.data.totals.calls : null;

  return (
    <div className="space-y-6">
      <ViewHeader
        title="Errors"
        description={`Failed calls in ${v.rangeLabel}, grouped by tool, status, code and message (numbers, ids and paths in messages are normalised). Noisiest first.`}
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-3">
        <StatCard label="Failed calls" value={formatCount(totalErrors)} />
        <StatCard label="Error rate" value={calls === null ? "—" : formatPct(calls ? totalErrors / calls : 0)} hint={calls === null ? undefined : `of ${formatCount(calls)} calls`} />
        <StatCard label="Groups" value={formatCount(groups.length)} />
      </div>
      {groups.length === 0 ? (
        <NoData title="No errors in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          Every call in {v.rangeLabel} succeeded. Failed calls — tool errors, JSON-RPC errors, timeouts, transport failures — are grouped here.
        </NoData>
      ) : (
        <SortableTable
          caption="Error groups"
          defaultSort={{ key: "count", dir: "desc" }}
          columns={[
            { key: "message", label: "Error" },
            { key: "target", label: "Tool / method" },
            { key: "count", label: "Count", align: "right" },
            { key: "sessions", label: "Sessions", align: "right" },
            { key: "clients", label: "Clients", align: "right" },
            { key: "first", label: "First seen" },
            { key: "last", label: "Last seen" },
            { key: "trend", label: "Trend", sortable: false },
          ]}
          rows={groups.map((g) => ({
            id: g.key,
            href: `${v.base}/errors/${g.key}${v.q}`,
            cells: {
              message: {
                value: g.errorGroup || g.status,
                display: (
                  <span className="block max-w-md">
                    <span className="line-clamp-2 text-sm">{g.sampleMessage || statusLabel(g.status)}</span>
                    <span className="text-xs font-normal text-zinc-500">
                      {statusLabel(g.status)}
                      {g.errorCode !== null ? ` · code ${g.errorCode}` : ""}
                    </span>
                  </span>
                ),
              },
              target: { value: g.target ?? g.method, display: <span className="font-mono text-xs">{g.target ?? g.method}</span> },
              count: { value: g.count, display: <span className="font-medium text-red-600 dark:text-red-400">{formatCount(g.count)}</span> },
              sessions: {
                value: g.sessions,
                display: res.data.approximate ? <span title="Estimated from hourly rollups (HyperLogLog, ±9 %)">≈ {formatCount(g.sessions)}</span> : formatCount(g.sessions),
              },
              clients: { value: g.clients, display: formatCount(g.clients) },
              first: { value: g.firstSeen.getTime(), display: <span title={formatTime(g.firstSeen)}>{timeAgo(g.firstSeen)}</span> },
              last: { value: g.lastSeen.getTime(), display: <span title={formatTime(g.lastSeen)}>{timeAgo(g.lastSeen)}</span> },
              trend: { value: null, display: <Sparkline values={g.trend} color="#ef4444" label={`Occurrences over time`} /> },
            },
          }))}
        />
      )}
    </div>
  );
}
