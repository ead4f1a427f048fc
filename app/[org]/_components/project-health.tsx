/**
 * The health line of a project card on the organization page: calls, error rate, p95 and the
 * count of failing / degraded tools in the range, with one overall level so a glance shows which
 * server is in trouble.
 */
import type { Health } from "@/server/analytics/health";
import { cx } from "@/app/_components/cx";
import { formatCount, formatMs, formatPct } from "../[project]/_components/format";

export interface ProjectHealthSummary {
  calls: number;
  errorRate: number;
  p95Ms: number | null;
  failingTools: number;
  degradedTools: number;
}

export function overallHealth(h: ProjectHealthSummary): Health {
  if (h.failingTools > 0) return "failing";
  if (h.degradedTools > 0) return "degraded";
  return "healthy";
}

const LEVEL: Record<Health, { dot: string; text: string; label: string }> = {
  healthy: { dot: "bg-emerald-500", text: "text-emerald-700 dark:text-emerald-400", label: "Healthy" },
  degraded: { dot: "bg-amber-500", text: "text-amber-700 dark:text-amber-400", label: "Degraded" },
  failing: { dot: "bg-red-500", text: "text-red-700 dark:text-red-400", label: "Failing" },
};

export function ProjectHealthLine({ health, rangeLabel }: { health: ProjectHealthSummary; rangeLabel: string }) {
  const level = overallHealth(health);
  const l = LEVEL[level];
  const tools = [health.failingTools ? `${health.failingTools} failing` : null, health.degradedTools ? `${health.degradedTools} degraded` : null].filter(Boolean).join(", ");
  return (
    <div className="mt-4 space-y-2" data-health={level}>
      <p className={cx("inline-flex items-center gap-1.5 text-xs font-medium", l.text)}>
        <span className={cx("size-2 rounded-full", l.dot)} aria-hidden /> {l.label}
        {tools ? <span className="font-normal">· {tools} {health.failingTools + health.degradedTools === 1 ? "tool" : "tools"}</span> : null}
      </p>
      <dl className="grid grid-cols-3 gap-2 text-xs">
        <div>
          <dt className="text-zinc-500 dark:text-zinc-400">Calls</dt>
          <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100">{formatCount(health.calls)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500 dark:text-zinc-400">Errors</dt>
          <dd className={cx("font-medium tabular-nums", health.errorRate > 0 ? "text-red-600 dark:text-red-400" : "text-zinc-900 dark:text-zinc-100")}>{formatPct(health.errorRate)}</dd>
        </div>
        <div>
          <dt className="text-zinc-500 dark:text-zinc-400">p95</dt>
          <dd className="font-medium text-zinc-900 tabular-nums dark:text-zinc-100">{formatMs(health.p95Ms)}</dd>
        </div>
      </dl>
      <p className="sr-only">in {rangeLabel}</p>
    </div>
  );
}
