/**
 * What every analytics query is bounded by: the project (always from the signed-in session or the
 * API key, never from a request body) and a half-open time range [from, to).
 */
export interface ProjectScope {
  projectId: string;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** An analytics input that cannot be answered (empty range, bad cursor, …). */
export class AnalyticsInputError extends Error {
  constructor(
    readonly code: "invalid_range" | "invalid_cursor" | "invalid_option",
    message: string,
  ) {
    super(message);
    this.name = "AnalyticsInputError";
  }
}

/** Longest range one query may cover: the raw-event retention (90 days) plus slack. */
export const MAX_RANGE_MS = 100 * 86_400_000;

/** `maxMs`: Infinity for views that never read call_events (schema snapshots are few). */
export function assertRange(range: TimeRange, maxMs = MAX_RANGE_MS): void {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new AnalyticsInputError("invalid_range", "The time range has an invalid date.");
  if (to <= from) throw new AnalyticsInputError("invalid_range", "The time range must end after it starts.");
  if (to - from > maxMs) throw new AnalyticsInputError("invalid_range", "The time range may cover at most 100 days.");
}

/** The period of equal length just before `range`: what "vs previous period" compares with. */
export function previousPeriod(range: TimeRange): TimeRange {
  const len = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - len), to: new Date(range.from) };
}

export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) throw new AnalyticsInputError("invalid_option", "limit must be a positive integer.");
  return Math.min(limit, max);
}
