/**
 * What the URL's search params say about a dashboard view: the time range (`?range=24h`, or
 * `?from=…&to=…` for a custom one) and the health thresholds (`?deg_err=5&deg_p95=1000&
 * fail_err=25&fail_p95=5000`: error rates in percent, p95 in ms). Kept in the URL so every view is linkable; links between views
 * carry them along (`keepParams`).
 */
import { usesRollups } from "@/server/analytics/rollups/read-plan";

export type SearchParams = Record<string, string | string[] | undefined>;

export const PRESETS = ["1h", "24h", "7d", "30d"] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = "24h";

export type RangeParam = { preset: Preset } | { from: Date; to: Date };

/** The first value of a search param. */
export function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function rangeFromParams(sp: SearchParams): RangeParam {
  const from = one(sp.from);
  const to = one(sp.to);
  if (from && to) {
    const f = new Date(from);
    const t = new Date(to);
    // Invalid dates go through as-is: the API answers with a message the page shows.
    return { from: f, to: t };
  }
  const preset = one(sp.range);
  return { preset: PRESETS.includes(preset as Preset) ? (preset as Preset) : DEFAULT_PRESET };
}

/** Whether the views read this range from rollups, i.e. report approximate percentiles. */
export function isApproximateRange(r: RangeParam): boolean {
  if ("preset" in r) return r.preset !== "1h";
  return usesRollups(r);
}

/** "last 24 hours", or "2026-11-23 10:00 → 2026-11-23 12:00 UTC". */
export function describeRange(r: RangeParam): string {
  if ("preset" in r) return { "1h": "the last hour", "24h": "the last 24 hours", "7d": "the last 7 days", "30d": "the last 30 days" }[r.preset];
  const fmt = (d: Date) => (Number.isNaN(d.getTime()) ? "?" : d.toISOString().slice(0, 16).replace("T", " "));
  return `${fmt(r.from)} → ${fmt(r.to)} UTC`;
}

export interface ThresholdsParam {
  degraded?: { errorRate?: number; p95Ms?: number };
  failing?: { errorRate?: number; p95Ms?: number };
}

const THRESHOLD_KEYS = { deg_err: ["degraded", "errorRate"], deg_p95: ["degraded", "p95Ms"], fail_err: ["failing", "errorRate"], fail_p95: ["failing", "p95Ms"] } as const;

export function thresholdsFromParams(sp: SearchParams): ThresholdsParam | undefined {
  const out: { degraded?: Record<string, number>; failing?: Record<string, number> } = {};
  for (const [key, [levelName, field]] of Object.entries(THRESHOLD_KEYS)) {
    const raw = one(sp[key]);
    if (raw === undefined || raw === "") continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) continue;
    // Error rates are written in percent in the URL (deg_err=5 is 5 %).
    if (field === "errorRate" && n > 100) continue;
    (out[levelName] ??= {})[field] = field === "errorRate" ? n / 100 : n;
  }
  return out.degraded || out.failing ? (out as ThresholdsParam) : undefined;
}

/** The params a link to another view keeps: range and thresholds. */
const KEPT = ["range", "from", "to", ...Object.keys(THRESHOLD_KEYS)];

export function keepParams(sp: SearchParams, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const k of KEPT) {
    const v = one(sp[k]);
    if (v) q.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const THRESHOLD_PARAM_KEYS = Object.keys(THRESHOLD_KEYS);

/** Detail pages (one call, one session) look a thing up over the whole raw retention, whatever the range. */
export function retentionRange(now = new Date()): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - 90 * 86_400_000), to: new Date(now.getTime() + 60_000) };
}

/** A dynamic route segment as text: decoded once if it still carries %-escapes, left as is otherwise. */
export function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
