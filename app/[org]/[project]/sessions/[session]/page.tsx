import type { Metadata } from "next";
import Link from "next/link";
import { cx, focusRing } from "@/app/_components/cx";
import { formatBytes, formatCount, formatMs, formatTime } from "../../_components/format";
import { linkClass, load, NoData, Panel, projectView, StatCard, StatusBadge, ViewError, ViewHeader, type ViewParams } from "../../_components/view";
import { retentionRange, type SearchParams, segment } from "../../_components/view-params";

export const metadata: Metadata = { title: "Session" };

type Params = Promise<{ org: string; project: string; session: string }>;

export default async function SessionPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const sessionId = segment((await params).session);
  const v = await projectView(params as ViewParams, searchParams);
  const res = await load(`${v.base}/sessions`, () => v.api.analytics.session({ projectId: v.project.id, range: retentionRange(), sessionId }));
  if (!res.ok) return <ViewError what="this session" message={res.message} />;
  const d = res.data;
  const link = linkClass;
  if (!d) {
    return (
      <NoData title="Session not found" base={v.base} firstEventAt={v.project.firstEventAt}>
        No session <code className="font-mono text-xs">{sessionId}</code> in this project in the last 90 days.
      </NoData>
    );
  }
  const s = d.session;
  const total = Math.max(1, ...d.timeline.map((t) => t.offsetMs + t.durationMs));
  const failed = d.timeline.filter((t) => t.status !== "ok").length;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`${v.base}/sessions${v.q}`} className={link}>
          Sessions
        </Link>{" "}
        / <span className="font-mono">{sessionId}</span>
      </nav>
      <ViewHeader
        title={<span className="font-mono text-lg">{sessionId}</span>}
        description={`${s.clientName ? `${s.clientName} ${s.clientVersion ?? ""}` : "Unknown client"} · started ${formatTime(s.startedAt)} · server ${s.serverId}`}
      />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard label="Calls" value={formatCount(s.calls)} />
        <StatCard label="Errors" value={formatCount(s.errors)} />
        <StatCard label="Duration" value={formatMs(s.durationMs)} hint="first call start → last call start" />
        <StatCard label="Timeline events" value={formatCount(d.timeline.length)} hint={d.truncated ? "first 2,000 shown" : failed ? `${failed} failed` : undefined} />
      </div>
      {d.toolSequence.length ? (
        <Panel title="Tool-call sequence" description="The tools the client called, in order">
          <ol className="flex flex-wrap items-center gap-1.5 text-xs" aria-label="Tool-call sequence">
            {runs(d.toolSequence).map(({ tool: t, count }, i) => (
              <li key={i} className="flex items-center gap-1.5">
                {i > 0 ? <span aria-hidden className="text-zinc-400">→</span> : null}
                <Link href={`${v.base}/tools/${encodeURIComponent(t)}${v.q}`} className={cx("rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-700", focusRing)}>
                  {t}
                  {count > 1 ? <span className="ml-1 text-zinc-400">×{count}</span> : null}
                </Link>
              </li>
            ))}
          </ol>
        </Panel>
      ) : null}
      <Panel title="Timeline" description="Every request in order; bars show when each started and how long it took">
        <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Session timeline">
          {d.timeline.map((t) => {
            const left = (t.offsetMs / total) * 100;
            const width = Math.max(0.4, (t.durationMs / total) * 100);
            const bad = t.status !== "ok";
            return (
              <li key={t.id} id={`call-${t.id}`} className="scroll-mt-24 target:bg-accent-50 dark:target:bg-accent-900/20">
                <Link href={`${v.base}/calls/${t.id}${v.q}`} className={cx("grid grid-cols-12 items-center gap-3 px-1 py-2 hover:bg-zinc-50 dark:hover:bg-zinc-800/50", focusRing)}>
                  <span className="col-span-4 min-w-0">
                    <span className="block truncate font-mono text-xs text-zinc-900 dark:text-zinc-100">{t.target ?? t.method}</span>
                    <span className="block truncate text-xs text-zinc-500">
                      +{formatMs(t.offsetMs)} · {t.method}
                      {t.direction === "s2c" ? " (server → client)" : ""}
                    </span>
                  </span>
                  <span className="relative col-span-5 h-4 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                    <span className={cx("absolute inset-y-0 rounded", bad ? "bg-red-500" : "bg-accent-500")} style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
                  </span>
                  <span className="col-span-1 text-right text-xs font-medium tabular-nums text-zinc-700 dark:text-zinc-300">{formatMs(t.durationMs)}</span>
                  <span className="col-span-2 flex flex-col items-end gap-0.5">
                    <StatusBadge status={t.status} />
                    <span className="text-[10px] text-zinc-400">{formatBytes(t.bytesOut)}</span>
                  </span>
                  {bad && t.errorMessage ? (
                    <span className="col-span-12 -mt-1 rounded bg-red-50 px-2 py-1 text-xs text-red-700 dark:bg-red-950/30 dark:text-red-300">
                      {t.errorCode !== null ? <span className="font-mono">{t.errorCode} </span> : null}
                      {t.errorMessage}
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ol>
      </Panel>
    </div>
  );
}

/** Consecutive calls of the same tool as one step: a, a, b → a ×2, b. */
function runs(sequence: string[]): { tool: string; count: number }[] {
  const out: { tool: string; count: number }[] = [];
  for (const tool of sequence) {
    const last = out[out.length - 1];
    if (last?.tool === tool) last.count++;
    else out.push({ tool, count: 1 });
  }
  return out;
}
