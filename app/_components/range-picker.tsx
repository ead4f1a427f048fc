"use client";
/**
 * Time range of the dashboard views: presets 1h / 24h / 7d / 30d and a custom from–to, kept in the
 * URL (`?range=7d`, `?from=…&to=…`) so a view is linkable; plus auto refresh (every 30 s,
 * pausable, remembered in this browser) that re-renders the server components of the page.
 */
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { buttonClass } from "./button";
import { cx, focusRing } from "./cx";

const PRESETS = [
  ["1h", "1h"],
  ["24h", "24h"],
  ["7d", "7d"],
  ["30d", "30d"],
] as const;

const DEFAULT_PRESET = "24h";

function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function RangePicker() {
  const pathname = usePathname();
  const params = useSearchParams();
  const router = useRouter();
  const custom = params.get("from") && params.get("to");
  const current = custom ? "custom" : (params.get("range") ?? DEFAULT_PRESET);
  const [open, setOpen] = useState(false);
  const id = useId();
  const [from, setFrom] = useState(() => toLocalInput(new Date(custom ? params.get("from")! : Date.now() - 86_400_000)));
  const [to, setTo] = useState(() => toLocalInput(new Date(custom ? params.get("to")! : Date.now())));
  const [error, setError] = useState<string | null>(null);

  function hrefFor(preset: string): string {
    const q = new URLSearchParams(params.toString());
    q.delete("from");
    q.delete("to");
    q.delete("cursor");
    q.set("range", preset);
    return `${pathname}?${q.toString()}`;
  }

  function applyCustom(e: React.FormEvent) {
    e.preventDefault();
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime())) return setError("Enter both dates.");
    if (t <= f) return setError("The end must be after the start.");
    if (t.getTime() - f.getTime() > 100 * 86_400_000) return setError("A range may cover at most 100 days.");
    setError(null);
    const q = new URLSearchParams(params.toString());
    q.delete("range");
    q.delete("cursor");
    q.set("from", f.toISOString());
    q.set("to", t.toISOString());
    setOpen(false);
    router.push(`${pathname}?${q.toString()}`);
  }

  return (
    <div className="relative flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="inline-flex rounded-md bg-zinc-100 p-0.5 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
        {PRESETS.map(([value, label]) => (
          <Link
            key={value}
            href={hrefFor(value)}
            aria-current={current === value ? "true" : undefined}
            title={value === "7d" || value === "30d" ? "Long ranges read every call: a few seconds on busy projects" : undefined}
            className={cx(
              "rounded px-2.5 py-1 text-xs font-medium tabular-nums transition-colors",
              current === value
                ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-white"
                : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
              focusRing,
            )}
          >
            {label}
          </Link>
        ))}
        <button
          type="button"
          aria-expanded={open}
          aria-controls={`${id}-custom`}
          aria-current={current === "custom" ? "true" : undefined}
          onClick={() => setOpen((o) => !o)}
          className={cx(
            "rounded px-2.5 py-1 text-xs font-medium transition-colors",
            current === "custom"
              ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-white"
              : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
            focusRing,
          )}
        >
          Custom
        </button>
      </div>
      {open ? (
        <form
          id={`${id}-custom`}
          onSubmit={applyCustom}
          className="absolute top-full right-0 z-20 mt-2 w-72 space-y-3 rounded-lg bg-white p-4 shadow-lg ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-700"
        >
          <DateTimeField label="From" value={from} onChange={setFrom} />
          <DateTimeField label="To" value={to} onChange={setTo} />
          {error ? (
            <p role="alert" className="text-xs text-red-600 dark:text-red-400">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <button type="button" className={buttonClass("ghost", "sm")} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={buttonClass("primary", "sm")}>
              Apply
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function DateTimeField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="block text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {label}
      <input
        type="datetime-local"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="mt-1 block w-full rounded-md border-0 bg-white px-2 py-1.5 text-sm text-zinc-900 ring-1 ring-zinc-300 dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-700"
      />
    </label>
  );
}

const REFRESH_MS = 30_000;
const STORAGE_KEY = "tapline.autoRefresh";

/** Re-renders the page's server components every 30 s while on; the choice is kept in localStorage. */
export function AutoRefresh() {
  const router = useRouter();
  const [on, setOn] = useState(true);
  const [updated, setUpdated] = useState<Date | null>(null);

  useEffect(() => {
    // Read the stored choice after hydration (the server cannot know it).
    if (window.localStorage.getItem(STORAGE_KEY) === "off") setOn(false);
    setUpdated(new Date());
  }, []);

  useEffect(() => {
    if (!on) return;
    const t = window.setInterval(() => {
      if (document.visibilityState !== "visible") return;
      router.refresh();
      setUpdated(new Date());
    }, REFRESH_MS);
    return () => window.clearInterval(t);
  }, [on, router]);

  function toggle() {
    const next = !on;
    setOn(next);
    window.localStorage.setItem(STORAGE_KEY, next ? "on" : "off");
    if (next) {
      router.refresh();
      setUpdated(new Date());
    }
  }

  return (
    <button
      type="button"
      onClick={toggle}
      aria-pressed={on}
      title={updated ? `Last updated ${updated.toLocaleTimeString()}` : undefined}
      className={cx(
        "inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium whitespace-nowrap ring-1 transition-colors",
        on
          ? "text-emerald-700 ring-emerald-600/30 hover:bg-emerald-50 dark:text-emerald-300 dark:ring-emerald-400/30 dark:hover:bg-emerald-950/30"
          : "text-zinc-600 ring-zinc-300 hover:bg-zinc-50 dark:text-zinc-400 dark:ring-zinc-700 dark:hover:bg-zinc-800",
        focusRing,
      )}
    >
      <span className={cx("size-1.5 rounded-full", on ? "animate-pulse bg-emerald-500" : "bg-zinc-400")} aria-hidden />
      {on ? "Auto refresh 30 s" : "Auto refresh paused"}
    </button>
  );
}
