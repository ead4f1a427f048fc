import type { Metadata } from "next";
import Link from "next/link";
import { cx } from "@/app/_components/cx";
import { timeAgo } from "@/app/_components/format";
import { decodeErrorGroupKey } from "@/server/analytics/errors";
import { formatCount, formatMs, formatTime } from "../../_components/format";
import { SortableTable } from "../../_components/sortable-table";
import { linkClass, load, NoData, Pager, projectView, StatCard, statusLabel, StatusBadge, ViewError, ViewHeader, type ViewParams } from "../../_components/view";
import { one, keepParams, type SearchParams, segment } from "../../_components/view-params";

export const metadata: Metadata = { title: "Error group" };

type Params = Promise<{ org: string; project: string; group: string }>;

export default async function ErrorGroupPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const key = segment((await params).group);
  const v = await projectView(params as ViewParams, searchParams);
  const cursor = one(v.sp.cursor) ?? null;
  let group: ReturnType<typeof decodeErrorGroupKey> | null = null;
  try {
    group = decodeErrorGroupKey(key);
  } catch {
    group = null;
  }
  if (!group) return <ViewError what="this error group" message="The link does not name an error group. Open it again from the Errors list." />;
  const g = group;
  const [res, groups] = await Promise.all([
    load(`${v.base}/errors`, () => v.api.analytics.errorOccurrences({ projectId: v.project.id, range: v.range, key, cursor, limit: 50 })),
    load(`${v.base}/errors`, () => v.api.analytics.errorGroups({ projectId: v.project.id, range: v.range, tool: g.target ?? undefined, limit: 500 })),
  ]);
  if (!res.ok) return <ViewError what="the occurrences of this error" message={res.message} />;
  const stats = groups.ok ? groups.data.groups.find((x) => x.key === key) : undefined;
  const { occurrences, nextCursor } = res.data;
  const link = linkClass;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`${v.base}/errors${v.q}`} className={link}>
          Errors
        </Link>{" "}
        / {g.target ?? g.method}
      </nav>
      <ViewHeader
        title={stats?.sampleMessage || g.errorGroup || statusLabel(g.status)}
        description={
          <>
            {statusLabel(g.status)}
            {g.errorCode !== null ? ` · code ${g.errorCode}` : ""} · {g.method}{" "}
            {g.target ? (
              g.method === "tools/call" ? (
                <Link href={`${v.base}/tools/${encodeURIComponent(g.target)}${v.q}`} className={cx(link, "font-mono")}>
                  {g.target}
                </Link>
              ) : (
                <span className="font-mono">{g.target}</span>
              )
            ) : null}
            {g.errorGroup ? (
              <>
                {" "}
                · grouped as <code className="font-mono text-xs">{g.errorGroup}</code>
              </>
            ) : null}
          </>
        }
      />
      {stats ? (
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <StatCard label="Occurrences" value={formatCount(stats.count)} />
          <StatCard label="Sessions" value={formatCount(stats.sessions)} />
          <StatCard label="Clients" value={formatCount(stats.clients)} />
          <StatCard label="Last seen" value={timeAgo(stats.lastSeen)} hint={`first ${formatTime(stats.firstSeen)}`} />
        </div>
      ) : null}
      <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Occurrences, newest first</h2>
      {occurrences.length === 0 ? (
        <NoData title="No occurrences in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          This error did not happen in {v.rangeLabel}. Pick a longer range above.
        </NoData>
      ) : (
        <SortableTable
          caption="Occurrences"
          defaultSort={{ key: "time", dir: "desc" }}
          columns={[
            { key: "session", label: "Session" },
            { key: "message", label: "Message" },
            { key: "status", label: "Status" },
            { key: "client", label: "Client" },
            { key: "duration", label: "Duration", align: "right" },
            { key: "time", label: "When" },
            { key: "call", label: "Call", sortable: false },
          ]}
          rows={occurrences.map((c) => ({
            id: c.id,
            href: c.sessionId ? `${v.base}/sessions/${encodeURIComponent(c.sessionId)}${v.q}#call-${c.id}` : `${v.base}/calls/${c.id}${v.q}`,
            cells: {
              session: { value: c.sessionId, display: <span className="font-mono text-xs">{c.sessionId ?? "no session"}</span> },
              message: { value: c.errorMessage, display: <span className="line-clamp-1 max-w-sm text-xs">{c.errorMessage ?? "—"}</span> },
              status: { value: c.status, display: <StatusBadge status={c.status} /> },
              client: { value: c.clientName, display: c.clientName ?? "unknown" },
              duration: { value: c.durationMs, display: formatMs(c.durationMs) },
              time: { value: c.ts.getTime(), display: <span title={formatTime(c.ts)}>{timeAgo(c.ts)}</span> },
              call: {
                value: null,
                display: (
                  <Link href={`${v.base}/calls/${c.id}${v.q}`} className={cx(link, "relative z-10 text-xs")}>
                    Details
                  </Link>
                ),
              },
            },
          }))}
        />
      )}
      <Pager first={cursor ? `${v.base}/errors/${key}${keepParams(v.sp)}` : null} next={nextCursor ? `${v.base}/errors/${key}${keepParams(v.sp, { cursor: nextCursor })}` : null} />
    </div>
  );
}
