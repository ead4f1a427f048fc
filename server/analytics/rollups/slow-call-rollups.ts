/**
 * A tool's slowest calls over a long range, exactly, from slow_call_rollups: the top
 * SLOWEST_PER_BUCKET calls per tool and hour (and per day, from its hours). The slowest N ≤ that
 * many calls of a range are each among the slowest of their own bucket, so the candidates of the
 * plan's buckets plus the plan's raw ranges contain the answer.
 */
import { callColumns } from "../calls";
import { IS_TOOL_CALL } from "../sql";
import type { ReadPlan } from "./read-plan";
import type { SqlParams } from "./rollup-source";

export const SLOWEST_PER_BUCKET = 20;

const TOP = (source: string) => `SELECT target, duration_us, ts, id FROM (
    SELECT target, duration_us, ts, id, row_number() OVER (PARTITION BY target ORDER BY duration_us DESC, id DESC) AS rank FROM (${source}) s
  ) ranked WHERE rank <= ${SLOWEST_PER_BUCKET}`;

export const REFRESH_SLOW_HOUR_SQL = `
INSERT INTO slow_call_rollups (project_id, grain, bucket, target, duration_us, ts, id)
SELECT $1, 3600, $2, target, duration_us, ts, id FROM (${TOP(
  `SELECT target, duration_us, ts, id FROM call_events WHERE project_id = $1 AND ts >= $2 AND ts < $2 + interval '1 hour' AND ${IS_TOOL_CALL} AND target IS NOT NULL`,
)}) top`;

export const REFRESH_SLOW_DAY_SQL = `
INSERT INTO slow_call_rollups (project_id, grain, bucket, target, duration_us, ts, id)
SELECT $1, 86400, $2, target, duration_us, ts, id FROM (${TOP(
  `SELECT target, duration_us, ts, id FROM slow_call_rollups WHERE project_id = $1 AND grain = 3600 AND bucket >= $2 AND bucket < $2 + interval '1 day'`,
)}) top`;

/** SQL for the `limit` slowest calls of `tool` (CallRow columns, slowest first); limit ≤ SLOWEST_PER_BUCKET. */
export function slowestCallsSql(p: SqlParams, plan: ReadPlan, tool: string, limit: number): string {
  const t = p.add(tool);
  const n = p.add(limit);
  const parts = [
    `SELECT ts, id, duration_us FROM slow_call_rollups WHERE project_id = $1 AND target = ${t}
      AND ((grain = 86400 AND bucket = ANY(${p.add(plan.days)}::timestamptz[])) OR (grain = 3600 AND bucket = ANY(${p.add(plan.hours)}::timestamptz[])))`,
    ...plan.raw.map(
      (r) => `(SELECT ts, id, duration_us FROM call_events WHERE project_id = $1 AND ts >= ${p.add(r.from)} AND ts < ${p.add(r.to)}
        AND ${IS_TOOL_CALL} AND target = ${t} ORDER BY duration_us DESC, id DESC LIMIT ${n})`,
    ),
  ];
  return `WITH top AS (SELECT ts, id, duration_us FROM (${parts.join("\nUNION ALL\n")}) c ORDER BY duration_us DESC, id DESC LIMIT ${n})
SELECT call.* FROM top CROSS JOIN LATERAL (
  SELECT ${callColumns()} FROM call_events WHERE project_id = $1 AND ts = top.ts AND id = top.id
) call
ORDER BY top.duration_us DESC, top.id DESC`;
}
