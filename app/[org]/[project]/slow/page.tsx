import type { Metadata } from "next";
import Link from "next/link";
import { cx, focusRing } from "@/app/_components/cx";
import { CallTable } from "../_components/call-table";
import { formatMs } from "../_components/format";
import { load, NoData, Pager, projectView, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import { one, keepParams, type SearchParams } from "../_components/view-params";

export const metadata: Metadata = { title: "Slow calls" };

const THRESHOLDS = [100, 500, 1000, 2000, 5000];
const DEFAULT_THRESHOLD = 1000;

export default async function SlowCallsPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const t = Number(one(v.sp.threshold));
  const thresholdMs = Number.isFinite(t) && t >= 0 ? t : DEFAULT_THRESHOLD;
  const sort = one(v.sp.sort) === "time" ? "time" : "duration";
  const cursor = one(v.sp.cursor) ?? null;
  const tool = one(v.sp.tool);
  const res = await load(`${v.base}/slow`, () =>
    v.api.analytics.slowCalls({ projectId: v.project.id, range: v.range, thresholdMs, sort, cursor, tool, limit: 50 }),
  );
  if (!res.ok) return <ViewError what="the slow calls" message={res.message} />;
  const { calls, nextCursor } = res.data;
  const href = (extra: Record<string, string | undefined>) =>
    `${v.base}/slow${keepParams(v.sp, { threshold: String(thresholdMs), sort, tool, ...extra })}`;
  const chip = (active: boolean) =>
    cx(
      "rounded-md px-2.5 py-1 text-xs font-medium ring-1 ring-inset",
      active
        ? "bg-accent-50 text-accent-700 ring-accent-600/30 dark:bg-accent-900/40 dark:text-accent-200 dark:ring-accent-400/30"
        : "text-zinc-600 ring-zinc-300 hover:bg-zinc-50 dark:text-zinc-400 dark:ring-zinc-700 dark:hover:bg-zinc-800",
      focusRing,
    );

  return (
    <div className="space-y-6">
      <ViewHeader
        title="Slow calls"
        description={`Requests that took ${formatMs(thresholdMs)} or more in ${v.rangeLabel}${tool ? `, tool ${tool}` : ""}. Each opens its detail.`}
      />
      <div className="flex flex-wrap items-center gap-4">
        <div role="group" aria-label="Threshold" className="flex flex-wrap items-center gap-1.5">
          <span className="text-xs text-zinc-500 dark:text-zinc-400">At least</span>
          {THRESHOLDS.map((ms) => (
            <Link key={ms} href={href({ threshold: String(ms), cursor: undefined })} aria-current={ms === thresholdMs ? "true" : undefined} className={chip(ms === thresholdMs)}>
              {formatMs(ms)}
            </Link>
          ))}
        </div>
        <div role="group" aria-label="Order" className="flex items-center gap-1.5">
          <span className="text-xs text-zinc-500 dark:text-zinc-400">Order</span>
          <Link href={href({ sort: "duration", cursor: undefined })} aria-current={sort === "duration" ? "true" : undefined} className={chip(sort === "duration")}>
            Slowest first
          </Link>
          <Link href={href({ sort: "time", cursor: undefined })} aria-current={sort === "time" ? "true" : undefined} className={chip(sort === "time")}>
            Newest first
          </Link>
        </div>
        {tool ? (
          <Link href={href({ tool: undefined, cursor: undefined }).replace(/([?&])tool=[^&]*&?/, "$1")} className={chip(true)}>
            tool: {tool} ✕
          </Link>
        ) : null}
      </div>
      {calls.length === 0 ? (
        <NoData title={`No call took ${formatMs(thresholdMs)} or more`} base={v.base} firstEventAt={v.project.firstEventAt}>
          Nothing this slow in {v.rangeLabel}. Lower the threshold or pick a longer range.
        </NoData>
      ) : (
        <>
          <CallTable calls={calls} base={v.base} q={v.q} caption="Slow calls" defaultSort={sort === "time" ? { key: "time", dir: "desc" } : { key: "duration", dir: "desc" }} />
          <Pager first={cursor ? href({ cursor: undefined }) : null} next={nextCursor ? href({ cursor: nextCursor }) : null} />
        </>
      )}
    </div>
  );
}
