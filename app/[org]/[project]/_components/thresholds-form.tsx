/**
 * Health thresholds the user can set. **Apply** is a plain GET form (works without JavaScript)
 * that puts them in the URL for this view and the links from it; admins can also **Save for the
 * project**, which stores them (every member then sees the same badges, the organization page too).
 */
import { buttonClass } from "@/app/_components/button";
import type { HealthThresholds } from "@/server/analytics/health";
import { one, type SearchParams } from "./view-params";
import { SaveThresholds } from "./save-thresholds";

export function ThresholdsForm({
  thresholds,
  sp,
  projectId,
  canSave,
  hasSaved,
}: {
  thresholds: HealthThresholds;
  sp: SearchParams;
  projectId: string;
  canSave: boolean;
  hasSaved: boolean;
}) {
  const field = (name: string, label: string, value: number, unit: string, step: string) => (
    <label className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {label}
      <span className="mt-1 flex items-center gap-1.5">
        <input
          name={name}
          type="number"
          min={0}
          step={step}
          defaultValue={value}
          className="block w-24 rounded-md border-0 bg-white px-2 py-1 text-sm text-zinc-900 tabular-nums ring-1 ring-zinc-300 dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-700"
        />
        <span className="text-zinc-500">{unit}</span>
      </span>
    </label>
  );
  return (
    <details className="group rounded-lg bg-white ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <summary className="cursor-pointer list-none px-4 py-2.5 text-sm text-zinc-700 select-none dark:text-zinc-300">
        <span className="font-medium">Health thresholds</span>
        {hasSaved ? <span className="ml-1.5 text-xs text-accent-700 dark:text-accent-300">(saved for this project)</span> : null}{" "}
        <span className="text-zinc-500 dark:text-zinc-400">
          — degraded at ≥ {Math.round(thresholds.degraded.errorRate * 1000) / 10} % errors or p95 ≥ {thresholds.degraded.p95Ms} ms; failing at ≥{" "}
          {Math.round(thresholds.failing.errorRate * 1000) / 10} % or p95 ≥ {thresholds.failing.p95Ms} ms
        </span>
      </summary>
      <form method="get" className="flex flex-wrap items-end gap-4 border-t border-zinc-100 px-4 py-3 dark:border-zinc-800">
        {["range", "from", "to"].map((k) => {
          const v = one(sp[k]);
          return v ? <input key={k} type="hidden" name={k} value={v} /> : null;
        })}
        <fieldset className="flex gap-3">
          <legend className="mb-1 text-xs font-semibold text-amber-700 dark:text-amber-400">Degraded</legend>
          {field("deg_err", "Error rate ≥", Math.round(thresholds.degraded.errorRate * 1000) / 10, "%", "0.1")}
          {field("deg_p95", "or p95 ≥", thresholds.degraded.p95Ms, "ms", "1")}
        </fieldset>
        <fieldset className="flex gap-3">
          <legend className="mb-1 text-xs font-semibold text-red-700 dark:text-red-400">Failing</legend>
          {field("fail_err", "Error rate ≥", Math.round(thresholds.failing.errorRate * 1000) / 10, "%", "0.1")}
          {field("fail_p95", "or p95 ≥", thresholds.failing.p95Ms, "ms", "1")}
        </fieldset>
        <button type="submit" className={buttonClass("secondary", "sm")} title="For this view only (kept in the address)">
          Apply
        </button>
        {canSave ? <SaveThresholds projectId={projectId} hasSaved={hasSaved} /> : null}
        <a href="?" className="text-xs text-zinc-500 underline-offset-2 hover:underline">
          {hasSaved ? "Project's thresholds" : "Defaults"}
        </a>
      </form>
    </details>
  );
}
