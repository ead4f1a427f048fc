/** "3 minutes ago", "in 2 days", "just now" — for created / last used columns. */
export function timeAgo(value: Date | string | null | undefined, now: Date = new Date()): string {
  if (!value) return "Never";
  const date = typeof value === "string" ? new Date(value) : value;
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86400],
    ["month", 2592000],
    ["year", 31536000],
  ];
  let chosen: [Intl.RelativeTimeFormatUnit, number] = units[0]!;
  for (const u of units) if (abs >= u[1]) chosen = u;
  return rtf.format(Math.round(seconds / chosen[1]), chosen[0]);
}

/** A stable, locale-independent date for titles and tooltips: 2026-11-23 17:42 UTC. */
export function isoMinute(value: Date | string | null | undefined): string | undefined {
  if (!value) return undefined;
  const d = typeof value === "string" ? new Date(value) : value;
  return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
