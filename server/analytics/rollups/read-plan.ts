/**
 * Which rows answer a range: call_rollups days and hours for the middle, call_events for the
 * partial hours at the edges and for any hour whose rollup is dirty (marked by ingestion, not yet
 * rewritten by the job). Rollup rows therefore never show stale numbers, and a range reads at
 * most a few hours of raw events however long it is.
 */
import type pg from "pg";
import type { TimeRange } from "../scope";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Ranges up to this long read raw events only, with exact percentiles. */
export const RAW_RANGE_MAX_MS = 6 * HOUR_MS;

export interface ReadPlan {
  /** Day rollups (UTC day starts). */
  days: Date[];
  /** Hour rollups (hour starts). */
  hours: Date[];
  /** Ranges read from call_events, in order, adjacent ones merged. */
  raw: TimeRange[];
}

export function usesRollups(range: TimeRange): boolean {
  return range.to.getTime() - range.from.getTime() > RAW_RANGE_MAX_MS;
}

const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;
const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/**
 * `dirtyHours`: starts (ms) of the hours in the range whose rollup is stale. `days: false` keeps
 * hourly resolution (series with buckets shorter than a day).
 */
export function planRead(range: TimeRange, dirtyHours: ReadonlySet<number>, options: { days: boolean }): ReadPlan {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  const plan: ReadPlan = { days: [], hours: [], raw: [] };
  const raw: [number, number][] = [];
  if (h0 >= h1) {
    raw.push([from, to]);
  } else {
    if (from < h0) raw.push([from, h0]);
    const d0 = options.days ? ceilTo(h0, DAY_MS) : h1;
    const d1 = options.days ? floorTo(h1, DAY_MS) : h1;
    const cleanDay = (d: number) => {
      for (let h = d; h < d + DAY_MS; h += HOUR_MS) if (dirtyHours.has(h)) return false;
      return true;
    };
    for (let h = h0; h < h1; ) {
      if (h >= d0 && h + DAY_MS <= d1 && h % DAY_MS === 0 && cleanDay(h)) {
        plan.days.push(new Date(h));
        h += DAY_MS;
        continue;
      }
      if (dirtyHours.has(h)) raw.push([h, h + HOUR_MS]);
      else plan.hours.push(new Date(h));
      h += HOUR_MS;
    }
    if (h1 < to) raw.push([h1, to]);
  }
  for (const [a, b] of raw) {
    const last = plan.raw[plan.raw.length - 1];
    if (last && last.to.getTime() === a) last.to = new Date(b);
    else plan.raw.push({ from: new Date(a), to: new Date(b) });
  }
  return plan;
}

/** Starts (ms) of the dirty hours of these projects overlapping the range. */
export async function loadDirtyHours(pool: pg.Pool, projectIds: string[], range: TimeRange): Promise<Set<number>> {
  const { rows } = await pool.query<{ hour: Date }>(
    // An hour being rewritten (rollup_claims) is as dirty as one waiting for the job.
    `SELECT hour FROM rollup_dirty WHERE project_id = ANY($1::text[]) AND hour >= $2 AND hour < $3
     UNION SELECT hour FROM rollup_claims WHERE project_id = ANY($1::text[]) AND hour >= $2 AND hour < $3`,
    [projectIds, new Date(floorTo(range.from.getTime(), HOUR_MS)), range.to],
  );
  return new Set(rows.map((r) => r.hour.getTime()));
}

