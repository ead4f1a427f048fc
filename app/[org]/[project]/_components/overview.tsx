/** The project's overview (server component): totals vs the previous period, charts, top tools and clients. */
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { SERIES_COLORS } from "@/app/_components/charts/chart-theme";
import { TimeSeriesChart } from "@/app/_components/charts/time-series-chart";
import { cx, focusRing } from "@/app/_components/cx";
import { formatCount, formatDelta, formatMs, formatPct } from "./format";
import { load, NoData, Panel, projectView, StatCard, ViewError, ViewHeader, type ViewParams } from "./view";
import { isApproximateRange } from "./view-params";
import type { SearchParams } from "./view-params";

type Higher = "good" | "bad";

function tone(relative: number | null, absolute: number | null, higher: Higher): "good" | "bad" | "neutral" {
  const d = absolute ?? relative;
  if (d === null || d === 0) return "neutral";
  return (d > 0) === (higher === "good") ? "good" : "bad";
}

export async function ProjectOverview({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const res = await load(v.base, () => v.api.analytics.overview({ projectId: v.project.id, range: v.range, top: 5 }));
  if (!res.ok) return <ViewError what="the overview" message={res.message} />;
  const o = res.data;
  const d = o.deltas;
  const vs = "vs previous period";
  const series = o.series.map((p) => ({ t: p.start.getTime(), calls: p.calls, errors: p.errors, errorRate: p.errorRate, p50: p.p50Ms, p95: p.p95Ms, p99: p.p99Ms }));
  const bucket = o.bucketSeconds >= 3600 ? `${o.bucketSeconds / 3600} h` : `${o.bucketSeconds / 60} min`;

  return (
    <div className="space-y-6">
      <ViewHeader approximate={isApproximateRange(v.range)}
        title={
          <span className="flex flex-wrap items-center gap-3">
            {v.project.name} <Badge>{v.project.environment}</Badge>
          </span>
        }
        description={`Overview of ${v.rangeLabel}, compared with the period of the same length before it.`}
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Calls" value={formatCount(o.totals.calls)} delta={formatDelta(d.calls.relative, null, "relative")} hint={vs} tone="neutral" />
        <StatCard
          label="Error rate"
          value={formatPct(o.totals.errorRate)}
          delta={formatDelta(null, d.errorRate.absolute, "points")}
          hint={`${formatCount(o.totals.errors)} errors`}
          tone={tone(null, d.errorRate.absolute, "bad")}
        />
        <StatCard
          label="p95 latency"
          value={formatMs(o.totals.p95Ms)}
          delta={formatDelta(d.p95Ms.relative, null, "relative")}
          hint={`p50 ${formatMs(o.totals.p50Ms)} · p99 ${formatMs(o.totals.p99Ms)}`}
          tone={tone(d.p95Ms.relative, null, "bad")}
        />
        <StatCard label="Active sessions" value={formatCount(o.totals.activeSessions)} delta={formatDelta(d.activeSessions.relative, null, "relative")} hint={vs} tone="neutral" />
      </div>

      {o.totals.calls === 0 ? (
        <NoData title="No calls in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          The agent has sent calls before, but none in {v.rangeLabel}. Pick a longer range above.
        </NoData>
      ) : (
        <>
          <div className="grid gap-4 lg:grid-cols-2">
            <Panel title="Calls and errors" description={`Per ${bucket}`}>
              <TimeSeriesChart
                label={`Calls and errors per ${bucket}`}
                data={series}
                kind="area"
                unit="count"
                bucketSeconds={o.bucketSeconds}
                series={[
                  { key: "calls", label: "Calls", color: SERIES_COLORS.calls },
                  { key: "errors", label: "Errors", color: SERIES_COLORS.errors },
                ]}
              />
            </Panel>
            <Panel title="Latency" description={`p50, p95 and p99 per ${bucket}`}>
              <TimeSeriesChart
                label={`Latency percentiles per ${bucket}`}
                data={series}
                unit="ms"
                bucketSeconds={o.bucketSeconds}
                series={[
                  { key: "p50", label: "p50", color: SERIES_COLORS.p50 },
                  { key: "p95", label: "p95", color: SERIES_COLORS.p95 },
                  { key: "p99", label: "p99", color: SERIES_COLORS.p99 },
                ]}
              />
            </Panel>
            <Panel title="Error rate" description={`Failed calls / calls per ${bucket}`}>
              <TimeSeriesChart
                label={`Error rate per ${bucket}`}
                data={series}
                unit="pct"
                bucketSeconds={o.bucketSeconds}
                height={150}
                series={[{ key: "errorRate", label: "Error rate", color: SERIES_COLORS.errors }]}
              />
            </Panel>
            <div className="grid gap-4 sm:grid-cols-2">
              <RankedList
                title="Top tools"
                all={{ href: `${v.base}/tools${v.q}`, label: "All tools" }}
                rows={o.topTools.map((t) => ({ name: t.name, calls: t.calls, errorRate: t.errorRate, href: `${v.base}/tools/${encodeURIComponent(t.name)}${v.q}` }))}
              />
              <RankedList
                title="Top clients"
                all={{ href: `${v.base}/clients${v.q}`, label: "All clients" }}
                rows={o.topClients.map((c) => ({ name: c.name, calls: c.calls, errorRate: c.errorRate, href: `${v.base}/clients${v.q}#client-${encodeURIComponent(c.name)}` }))}
              />
            </div>
          </div>
        </>
      )}
    </div>
  );
}

function RankedList({ title, rows, all }: { title: string; rows: { name: string; calls: number; errorRate: number; href: string }[]; all: { href: string; label: string } }) {
  const max = Math.max(1, ...rows.map((r) => r.calls));
  return (
    <Panel
      title={title}
      description="By calls"
      actions={
        <Link href={all.href} className={cx("text-xs font-medium text-accent-700 hover:underline dark:text-accent-300", focusRing)}>
          {all.label} →
        </Link>
      }
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">None in this range.</p>
      ) : (
        <ol className="space-y-2">
          {rows.map((r) => (
            <li key={r.name}>
              <Link href={r.href} className={cx("group block rounded-md", focusRing)}>
                <div className="flex items-baseline justify-between gap-2 text-sm">
                  <span className="truncate font-mono text-xs text-zinc-800 group-hover:text-accent-700 dark:text-zinc-200 dark:group-hover:text-accent-300">{r.name}</span>
                  <span className="shrink-0 text-xs text-zinc-500 tabular-nums dark:text-zinc-400">
                    {formatCount(r.calls)}
                    {r.errorRate > 0 ? <span className="ml-1.5 text-red-600 dark:text-red-400">{formatPct(r.errorRate)} err</span> : null}
                  </span>
                </div>
                <div className="mt-1 h-1.5 rounded-full bg-zinc-100 dark:bg-zinc-800">
                  <div className="h-1.5 rounded-full bg-accent-500" style={{ width: `${(r.calls / max) * 100}%` }} />
                </div>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
