import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { BarChart } from "@/app/_components/charts/bar-chart";
import { cx, focusRing } from "@/app/_components/cx";
import { timeAgo } from "@/app/_components/format";
import { CallTable } from "../../_components/call-table";
import { formatBytes, formatCount, formatMs, formatPct, formatTime } from "../../_components/format";
import { HealthBadge, linkClass, load, NoData, Panel, projectView, StatCard, statusLabel, ViewError, ViewHeader, type ViewParams } from "../../_components/view";
import { segment, type SearchParams, isApproximateRange } from "../../_components/view-params";

type Params = Promise<{ org: string; project: string; tool: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `${segment((await params).tool)} · Tools` };
}

function histogramLabel(fromMs: number, toMs: number | null): string {
  const f = (ms: number) => (ms >= 1000 ? `${ms / 1000}s` : `${ms}`);
  return toMs === null ? `≥${f(fromMs)}` : `${f(fromMs)}–${f(toMs)}${toMs < 1000 ? "ms" : ""}`;
}

export default async function ToolPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const tool = segment((await params).tool);
  const v = await projectView(params as ViewParams, searchParams);
  const res = await load(`${v.base}/tools`, () => v.api.analytics.tool({ projectId: v.project.id, range: v.range, tool, thresholds: v.thresholds, slowest: 10 }));
  if (!res.ok) return <ViewError what={`the tool ${tool}`} message={res.message} />;
  const d = res.data;
  const s = d.stats;
  const link = linkClass;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`${v.base}/tools${v.q}`} className={link}>
          Tools
        </Link>{" "}
        / <span className="font-mono">{tool}</span>
      </nav>
      <ViewHeader approximate={isApproximateRange(v.range)}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{tool}</span> {s ? <HealthBadge health={s.health} /> : <Badge>not called</Badge>}
          </span>
        }
        description={s ? `${formatCount(s.calls)} calls in ${v.rangeLabel}; last called ${timeAgo(s.lastCalled)}.` : `Not called in ${v.rangeLabel}.`}
      />
      {s ? (
        <>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <StatCard label="Calls" value={formatCount(s.calls)} hint={`${formatCount(s.errors)} failed`} />
            <StatCard label="Error rate" value={formatPct(s.errorRate)} />
            <StatCard label="p95 latency" value={formatMs(s.p95Ms)} hint={`p50 ${formatMs(s.p50Ms)} · p99 ${formatMs(s.p99Ms)}`} />
            <StatCard label="Max latency" value={formatMs(s.maxMs)} hint={`responses ${formatBytes(s.meanResponseBytes)} mean, ${formatBytes(s.maxResponseBytes)} max`} />
          </div>
          <div className="grid gap-4 lg:grid-cols-3">
            <Panel title="Latency distribution" description="Calls per latency bucket (ms, log scale)" className="lg:col-span-2">
              <BarChart label={`Latency histogram of ${tool}`} data={trimHistogram(d.histogram).map((b) => ({ label: histogramLabel(b.fromMs, b.toMs), value: b.count }))} />
            </Panel>
            <Panel title="Status" description="Outcome of each call">
              <ul className="space-y-2">
                {d.statuses.map((st) => (
                  <li key={st.status} className="flex items-center justify-between gap-2 text-sm">
                    <span className="flex items-center gap-2">
                      <span className={cx("size-2 rounded-full", st.status === "ok" ? "bg-emerald-500" : "bg-red-500")} aria-hidden />
                      {statusLabel(st.status)}
                    </span>
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                      {formatCount(st.count)} <span className="text-xs">({formatPct(st.count / s.calls)})</span>
                    </span>
                  </li>
                ))}
              </ul>
            </Panel>
          </div>
          <section className="space-y-3">
            <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Slowest calls</h2>
            <CallTable calls={d.slowest} base={v.base} q={v.q} caption={`Slowest calls of ${tool}`} />
          </section>
          <section className="space-y-3">
            <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Error groups</h2>
            {d.errorGroups.length === 0 ? (
              <p className="text-sm text-zinc-500 dark:text-zinc-400">No errors in this range.</p>
            ) : (
              <ul className="divide-y divide-zinc-100 rounded-lg bg-white ring-1 ring-zinc-200 dark:divide-zinc-800 dark:bg-zinc-900 dark:ring-zinc-800">
                {d.errorGroups.map((g) => (
                  <li key={g.key}>
                    <Link href={`${v.base}/errors/${g.key}${v.q}`} className={cx("flex items-center justify-between gap-4 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800/50", focusRing)}>
                      <span className="min-w-0">
                        <span className="block truncate text-sm text-zinc-900 dark:text-zinc-100">{g.sampleMessage ?? statusLabel(g.status)}</span>
                        <span className="text-xs text-zinc-500">
                          {statusLabel(g.status)}
                          {g.errorCode !== null ? ` · code ${g.errorCode}` : ""} · last {timeAgo(g.lastSeen)}
                        </span>
                      </span>
                      <span className="shrink-0 text-sm font-medium tabular-nums text-red-600 dark:text-red-400">{formatCount(g.count)}×</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <Panel title="Clients using it">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Clients calling {tool}</caption>
              <thead>
                <tr className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
                  <th className="py-1 font-medium">Client</th>
                  <th className="py-1 text-right font-medium">Calls</th>
                  <th className="py-1 text-right font-medium">Errors</th>
                  <th className="py-1 text-right font-medium">p50</th>
                  <th className="py-1 text-right font-medium">p95</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {d.clients.map((c) => (
                  <tr key={c.clientName} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="py-1.5">{c.clientName}</td>
                    <td className="py-1.5 text-right">{formatCount(c.calls)}</td>
                    <td className="py-1.5 text-right">{formatPct(c.errorRate)}</td>
                    <td className="py-1.5 text-right">{formatMs(c.p50Ms)}</td>
                    <td className="py-1.5 text-right">{formatMs(c.p95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </>
      ) : (
        <NoData title={`${tool} was not called in this range`} base={v.base} firstEventAt={v.project.firstEventAt}>
          Pick a longer range above, or check that clients can see the tool in <code className="font-mono text-xs">tools/list</code>.
        </NoData>
      )}
      <Panel title="Schema history" description="Versions of the server's tools/list in which this tool appeared, changed or was removed">
        {d.schemaHistory.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No tools/list snapshot mentions this tool.</p>
        ) : (
          <ol className="space-y-2">
            {d.schemaHistory.map((h) => (
              <li key={`${h.serverId}-${h.hash}`} className="flex flex-wrap items-center gap-2 text-sm">
                <Badge tone={h.change === "added" ? "success" : h.change === "removed" ? "danger" : "warning"}>{h.change}</Badge>
                <span className="text-zinc-700 dark:text-zinc-300" title={formatTime(h.firstSeen)}>
                  {formatTime(h.firstSeen)}
                </span>
                {h.fields.length ? <span className="text-xs text-zinc-500">fields: {h.fields.join(", ")}</span> : null}
                <span className="font-mono text-xs text-zinc-400">
                  {h.serverId} · {h.hash.slice(0, 8)}
                </span>
              </li>
            ))}
          </ol>
        )}
        <p className="mt-3 text-xs">
          <Link href={`${v.base}/schema${v.q}`} className={link}>
            Full schema and diffs →
          </Link>
        </p>
      </Panel>
    </div>
  );
}

/** Drops empty buckets at both ends so the chart shows the part of the scale that has calls. */
function trimHistogram<T extends { count: number }>(buckets: T[]): T[] {
  let a = 0;
  let b = buckets.length;
  while (a < b && buckets[a]!.count === 0) a++;
  while (b > a && buckets[b - 1]!.count === 0) b--;
  return buckets.slice(Math.max(0, a - 1), Math.min(buckets.length, b + 1));
}
