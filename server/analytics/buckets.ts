/**
 * Time buckets of the charts. A range gets the smallest step of the ladder that keeps it at or
 * under MAX_POINTS buckets: 1 h → 1 min (60), 6 h → 5 min (72); ranges read from rollups get at
 * least an hour: 24 h → 1 h (24), 7 d → 1 h (168), 30 d → 6 h (120).
 * Buckets are aligned to multiples of their width since the Unix epoch (UTC), so the same call
 * always lands in the same bucket whatever the range, and series are zero-filled in TypeScript.
 */
import { usesRollups } from "./rollups/read-plan";
import { AnalyticsInputError, type TimeRange } from "./scope";

export const BUCKET_LADDER_SECONDS = [60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400] as const;
export const MAX_POINTS = 300;
/** Hard cap when a caller picks the width itself. */
export const MAX_BUCKETS = 2000;

/** Ranges read from rollups (longer than 6 h) get whole hours: the finest rollup is an hour. */
export const ROLLUP_MIN_BUCKET_SECONDS = 3600;

export function chooseBucketSeconds(range: TimeRange): number {
  const seconds = (range.to.getTime() - range.from.getTime()) / 1000;
  const min = usesRollups(range) ? ROLLUP_MIN_BUCKET_SECONDS : 0;
  for (const step of BUCKET_LADDER_SECONDS) if (step >= min && seconds / step <= MAX_POINTS) return step;
  return 7 * 86_400;
}

/** Whether a series of this width over this range can be read from hourly rollups. */
export function seriesFromRollups(range: TimeRange, bucketSeconds: number): boolean {
  return usesRollups(range) && bucketSeconds % ROLLUP_MIN_BUCKET_SECONDS === 0;
}

/** Start (epoch seconds) of every bucket that overlaps [from, to). */
export function bucketStarts(range: TimeRange, bucketSeconds: number): number[] {
  if (!Number.isInteger(bucketSeconds) || bucketSeconds < 1) {
    throw new AnalyticsInputError("invalid_option", "bucketSeconds must be a positive integer.");
  }
  const from = Math.floor(range.from.getTime() / 1000 / bucketSeconds) * bucketSeconds;
  const to = range.to.getTime() / 1000;
  if ((to - from) / bucketSeconds > MAX_BUCKETS) {
    throw new AnalyticsInputError("invalid_option", `At most ${MAX_BUCKETS} buckets per series; pick a wider bucket.`);
  }
  const out: number[] = [];
  for (let t = from; t < to; t += bucketSeconds) out.push(t);
  return out;
}

/**
 * SQL for the bucket start (timestamptz) of `ts`, the width in seconds being parameter `$n`.
 * date_bin is several times cheaper per row than floor(extract(epoch …)), which goes through numeric.
 */
export function bucketSql(param: number, column = "ts"): string {
  return `date_bin($${param}::int * interval '1 second', ${column}, timestamptz '1970-01-01 00:00:00+00')`;
}

/** A bucket start as returned by bucketSql → epoch seconds (the key of bucketStarts). */
export function bucketKey(v: Date | string | number): number {
  return v instanceof Date ? v.getTime() / 1000 : typeof v === "number" ? v : Date.parse(v) / 1000;
}

/** One value per bucket start; buckets without a row get `empty(start)`. */
export function zeroFill<T>(starts: number[], rows: ReadonlyMap<number, T>, empty: (start: number) => T): T[] {
  return starts.map((s) => rows.get(s) ?? empty(s));
}
