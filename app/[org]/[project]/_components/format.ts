/** Numbers as the dashboard shows them, always with their unit. */

const int = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** 1234 → "1,234"; 1_234_567 → "1.23M". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  if (Math.abs(n) >= 1_000_000) return `${(n / 1_000_000).toFixed(2).replace(/\.?0+$/, "")}M`;
  return int.format(n);
}

/** Milliseconds: "840 µs", "12.3 ms", "1.25 s", "2 min 5 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "—";
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return Number.isInteger(ms / 1000) ? `${ms / 1000} s` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A rate 0..1 as a percentage: 0.253 → "25.3 %". */
export function formatPct(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  const p = rate * 100;
  if (p === 0) return "0 %";
  if (p < 0.1) return "< 0.1 %";
  return `${p < 10 ? p.toFixed(1) : p.toFixed(p === 100 ? 0 : 1)} %`;
}

/** Bytes: "512 B", "2.0 KB", "1.4 MB", "3.2 GB" (1 KB = 1024 B). */
export function formatBytes(b: number | null | undefined): string {
  if (b === null || b === undefined) return "—";
  if (b < 1024) return `${Math.round(b)} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  if (b < 1024 * 1024 * 1024) return `${(b / 1024 / 1024).toFixed(1)} MB`;
  return `${(b / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** A stable UTC timestamp with seconds: 2026-11-23 17:42:05 UTC. */
export function formatTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(d) : d;
  return date.toISOString().slice(0, 19).replace("T", " ") + " UTC";
}

/** Change vs the previous period: "+12 %", "−3.0 pts" for rates. */
export function formatDelta(relative: number | null, absolute: number | null, kind: "relative" | "points"): string | null {
  if (kind === "points") {
    if (absolute === null) return null;
    const pts = absolute * 100;
    return `${pts >= 0 ? "+" : "−"}${Math.abs(pts).toFixed(1)} pts`;
  }
  if (relative === null) return null;
  const p = relative * 100;
  return `${p >= 0 ? "+" : "−"}${Math.abs(p) < 10 ? Math.abs(p).toFixed(1) : Math.round(Math.abs(p))} %`;
}
