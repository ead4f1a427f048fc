import type { Metadata } from "next";
import Link from "next/link";
import { Sparkline } from "@/app/_components/charts/sparkline";
import { timeAgo } from "@/app/_components/format";
import { formatBytes, formatCount, formatMs, formatPct, formatTime } from "../_components/format";
import { SortableTable, type Row } from "../_components/sortable-table";
import { ThresholdsForm } from "../_components/thresholds-form";
import { HealthBadge, load, NoData, Panel, projectView, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import { isApproximateRange } from "../_components/view-params";
import type { SearchParams } from "../_components/view-params";

export const metadata: Metadata = { title: "Tools" };

const HEALTH_RANK = { failing: 2, degraded: 1, healthy: 0 } as const;

export default async function ToolsPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const res = await load(`${v.base}/tools`, () => v.api.analytics.tools({ projectId: v.project.id, range: v.range, thresholds: v.thresholds }));
  if (!res.ok) return <ViewError what="the tools" message={res.message} />;
  const { tools, neverCalled, thresholds, savedThresholds, canSaveThresholds } = res.data;

  const rows: Row[] = tools.map((t) => ({
    id: t.tool,
    href: `${v.base}/tools/${encodeURIComponent(t.tool)}${v.q}`,
    cells: {
      tool: { value: t.tool, display: <span className="font-mono text-xs">{t.tool}</span> },
      health: { value: HEALTH_RANK[t.health], display: <HealthBadge health={t.health} /> },
      calls: { value: t.calls, display: formatCount(t.calls) },
      errorRate: { value: t.errorRate, display: <span className={t.errorRate > 0 ? "text-red-600 dark:text-red-400" : undefined}>{formatPct(t.errorRate)}</span> },
      p50: { value: t.p50Ms, display: formatMs(t.p50Ms) },
      p95: { value: t.p95Ms, display: formatMs(t.p95Ms) },
      p99: { value: t.p99Ms, display: formatMs(t.p99Ms) },
      max: { value: t.maxMs, display: formatMs(t.maxMs) },
      meanBytes: { value: t.meanResponseBytes, display: formatBytes(t.meanResponseBytes) },
      maxBytes: { value: t.maxResponseBytes, display: formatBytes(t.maxResponseBytes) },
      last: { value: t.lastCalled?.getTime() ?? null, display: <span title={formatTime(t.lastCalled)}>{timeAgo(t.lastCalled)}</span> },
      trend: { value: null, display: <Sparkline values={t.sparkline} label={`Calls over time for ${t.tool}`} /> },
    },
  }));

  return (
    <div className="space-y-6">
      <ViewHeader approximate={isApproximateRange(v.range)} title="Tools" description={`Every tool called in ${v.rangeLabel}, busiest first. Click a column to sort, a tool to see its detail.`} />
      <ThresholdsForm thresholds={thresholds} sp={v.sp} projectId={v.project.id} canSave={canSaveThresholds} hasSaved={savedThresholds !== null} />
      {tools.length === 0 ? (
        <NoData title="No tool calls in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          No <code className="font-mono text-xs">tools/call</code> request was recorded in {v.rangeLabel}. Pick a longer range above.
        </NoData>
      ) : (
        <SortableTable
          caption="Tools"
          defaultSort={{ key: "calls", dir: "desc" }}
          columns={[
            { key: "tool", label: "Tool" },
            { key: "health", label: "Health" },
            { key: "calls", label: "Calls", align: "right" },
            { key: "errorRate", label: "Errors", align: "right" },
            { key: "p50", label: "p50", align: "right" },
            { key: "p95", label: "p95", align: "right" },
            { key: "p99", label: "p99", align: "right" },
            { key: "max", label: "Max", align: "right" },
            { key: "meanBytes", label: "Mean resp.", align: "right" },
            { key: "maxBytes", label: "Max resp.", align: "right" },
            { key: "last", label: "Last called" },
            { key: "trend", label: "Trend", sortable: false },
          ]}
          rows={rows}
        />
      )}
      {neverCalled.length ? (
        <Panel title="Never called in this range" description="Declared in the server's latest tools/list, with no call in the range.">
          <ul className="flex flex-wrap gap-2" aria-label="Tools never called">
            {neverCalled.map((name) => (
              <li key={name}>
                <Link
                  href={`${v.base}/tools/${encodeURIComponent(name)}${v.q}`}
                  className="inline-flex rounded-md bg-zinc-100 px-2 py-1 font-mono text-xs text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700"
                >
                  {name}
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
    </div>
  );
}
