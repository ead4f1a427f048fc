/**
 * Error groups rolled up (error_rollups): per hour and UTC day, per group key, the count, first and
 * last occurrence, a HyperLogLog sketch of the sessions and the distinct client names. One merge
 * statement serves all three uses: failed events → an hour, hours → a day, and the rows of a
 * ReadPlan → the groups of a range.
 */
import { distinctElementSql, distinctEstimateSql, ELEMENT_RANK_SQL, ELEMENT_REGISTER_SQL } from "./distinct-sketch";
import type { ReadPlan } from "./read-plan";
import type { SqlParams } from "./rollup-source";
import { IS_CALL } from "../sql";

/** Stored for a NULL error code (the key must be NOT NULL to be a primary key). */
export const NO_CODE = -2147483648;
export const ERROR_KEYS = ["method", "target", "status", "error_code", "error_group"] as const;
const KEYS = ERROR_KEYS.join(", ");
export const ERROR_ROLLUP_COLUMNS = `${KEYS}, count, first_ts, last_ts, sessions, clients`;

/** Failed calls shaped as error rollup rows of one call each; `where` bounds call_events. */
export function failedCallsAsRows(where: string): string {
  return `SELECT project_id, ts AS bucket, method, coalesce(target, '') AS target, status, coalesce(error_code, ${NO_CODE}) AS error_code,
    coalesce(error_group, '') AS error_group, 1::int8 AS count, ts AS first_ts, ts AS last_ts,
    CASE WHEN session_id IS NULL THEN '{}'::int4[] ELSE ARRAY[${distinctElementSql("session_id")}] END AS sessions,
    CASE WHEN client_name IS NULL THEN '{}'::text[] ELSE ARRAY[client_name] END AS clients
  FROM call_events WHERE ${where} AND ${IS_CALL} AND status <> 'ok'`;
}

/**
 * Merges error rollup rows (any mix of events-as-rows, hours, days) by `keys` (a subset of
 * ERROR_KEYS, plus extra computed keys that `source` provides). Output: keys, count, first_ts,
 * last_ts, sessions (merged sketch), clients (distinct, sorted).
 */
export function mergeErrorRowsSql(source: string, keys: readonly string[] = ERROR_KEYS): string {
  const k = keys.join(", ");
  return `WITH src AS MATERIALIZED (${source}),
g AS (SELECT ${k}, sum(count)::int8 AS count, min(first_ts) AS first_ts, max(last_ts) AS last_ts FROM src GROUP BY ${k}),
s AS (
  SELECT ${k}, array_agg((reg << 5 | r)::int4 ORDER BY reg) AS sessions
  FROM (SELECT ${k}, ${ELEMENT_REGISTER_SQL("e")} AS reg, max(${ELEMENT_RANK_SQL("e")}) AS r FROM src, unnest(sessions) e GROUP BY ${k}, reg) regs
  GROUP BY ${k}
),
c AS (SELECT ${k}, array_agg(DISTINCT cn ORDER BY cn) AS clients FROM src, unnest(clients) cn GROUP BY ${k})
SELECT g.*, coalesce(s.sessions, '{}') AS sessions, coalesce(c.clients, '{}') AS clients
FROM g LEFT JOIN s USING (${k}) LEFT JOIN c USING (${k})`;
}

/** SQL: the distinct-count estimate of a merged sessions sketch column. */
export function sessionsEstimateSql(column: string): string {
  return `(${distinctEstimateSql(`(SELECT ${ELEMENT_RANK_SQL("e")} AS r FROM unnest(${column}) e) regs`, [])})`;
}

export const REFRESH_ERROR_HOUR_SQL = `
INSERT INTO error_rollups (project_id, grain, bucket, ${ERROR_ROLLUP_COLUMNS})
SELECT $1, 3600, $2, ${ERROR_ROLLUP_COLUMNS} FROM (
  ${mergeErrorRowsSql(failedCallsAsRows(`project_id = $1 AND ts >= $2 AND ts < $2 + interval '1 hour'`))}
) m`;

export const REFRESH_ERROR_DAY_SQL = `
INSERT INTO error_rollups (project_id, grain, bucket, ${ERROR_ROLLUP_COLUMNS})
SELECT $1, 86400, $2, ${ERROR_ROLLUP_COLUMNS} FROM (
  ${mergeErrorRowsSql(`SELECT * FROM error_rollups WHERE project_id = $1 AND grain = 3600 AND bucket >= $2 AND bucket < $2 + interval '1 day'`)}
) m`;

/** The error rollup rows of a plan plus its raw ranges as rows (cf. rollupSource). */
export function errorSource(params: SqlParams, plan: ReadPlan, projects: string): string {
  const parts: string[] = [];
  if (plan.days.length || plan.hours.length) {
    parts.push(`SELECT project_id, bucket, ${ERROR_ROLLUP_COLUMNS} FROM error_rollups WHERE ${projects}
      AND ((grain = 86400 AND bucket = ANY(${params.add(plan.days)}::timestamptz[])) OR (grain = 3600 AND bucket = ANY(${params.add(plan.hours)}::timestamptz[])))`);
  }
  for (const r of plan.raw) parts.push(failedCallsAsRows(`${projects} AND ts >= ${params.add(r.from)} AND ts < ${params.add(r.to)}`));
  if (!parts.length) parts.push(`SELECT project_id, bucket, ${ERROR_ROLLUP_COLUMNS} FROM error_rollups WHERE false`);
  return parts.join("\nUNION ALL\n");
}
