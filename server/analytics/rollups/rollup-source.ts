/**
 * SQL for "the calls of a range, as rollup rows": the call_rollups rows a ReadPlan picks for one
 * grouping set, plus the plan's raw ranges of call_events with each event shaped as a rollup of
 * one call (its own sketch of one element). Views aggregate this relation without caring which
 * rows came from where. Columns: project_id, bucket, method, target, client_name, client_version,
 * the measures of measures.ts, latency.
 */
import type { GroupingSet } from "./grouping-sets";
import { bucketOfSql, ELEMENT_BUCKET_SQL, ELEMENT_COUNT_SQL, encodeSql, sketchPercentilesSql } from "./latency-sketch";
import { EVENT_MEASURES, MEASURE_COLUMNS, MERGED_MEASURES } from "./measures";
import { DAY, HOUR } from "./refresh-rollups";
import type { ReadPlan } from "./read-plan";
import { IS_CALL } from "../sql";

/** Positional parameters collected while SQL is built. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(initial: unknown[] = []) {
    this.values.push(...initial);
  }
  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const KEY_COLUMNS = "method, target, client_name, client_version";
const ROLLUP_COLUMNS = `project_id, bucket, ${KEY_COLUMNS}, ${MEASURE_COLUMNS.join(", ")}`;

export interface SourceOptions {
  set: GroupingSet;
  plan: ReadPlan;
  /** SQL condition on project_id, e.g. `project_id = $1` or `project_id = ANY($1::text[])`. */
  projects: string;
}

export function rollupSource(params: SqlParams, o: SourceOptions): string {
  const parts: string[] = [];
  if (o.plan.days.length || o.plan.hours.length) {
    const latency = o.set.latency ? "latency" : "NULL::int8[] AS latency";
    parts.push(`SELECT ${ROLLUP_COLUMNS}, ${latency} FROM call_rollups
  WHERE ${o.projects} AND grp = ${o.set.grp}
    AND ((grain = ${DAY} AND bucket = ANY(${params.add(o.plan.days)}::timestamptz[]))
      OR (grain = ${HOUR} AND bucket = ANY(${params.add(o.plan.hours)}::timestamptz[])))`);
  }
  const keys = ["method", "target", "client_name", "client_version"]
    .map((k) => (o.set.columns.includes(k as GroupingSet["columns"][number]) ? (k === "method" ? k : `coalesce(${k}, '') AS ${k}`) : `'' AS ${k}`))
    .join(", ");
  const latency = o.set.latency ? `ARRAY[${encodeSql(bucketOfSql("duration_us"), "1")}]` : "NULL::int8[]";
  for (const r of o.plan.raw) {
    parts.push(`SELECT project_id, ts AS bucket, ${keys}, ${EVENT_MEASURES}, ${latency} AS latency FROM call_events
  WHERE ${o.projects} AND ts >= ${params.add(r.from)} AND ts < ${params.add(r.to)} AND ${IS_CALL}`);
  }
  if (!parts.length) parts.push(`SELECT ${ROLLUP_COLUMNS}, latency FROM call_rollups WHERE false`);
  return parts.join("\nUNION ALL\n");
}

export interface AggregateOptions {
  /** Group keys: SQL over the source's columns and their output names. */
  keys: { sql: string; as: string }[];
  /** Condition on the source's columns (pushed into every branch by the planner). */
  where?: string;
  /** Quantiles (0..1) read from the merged sketches into `pct` (µs); none → no `pct`. */
  quantiles?: readonly number[];
}

/**
 * Sums a rollup source by `keys`: every measure merged, plus percentiles from the merged sketch.
 * Output columns: the keys, the measures of measures.ts under their own names, `pct` (capped at
 * the maximum duration).
 */
export function aggregateSql(source: string, o: AggregateOptions): string {
  const keyNames = o.keys.map((k) => k.as);
  const select = o.keys.map((k) => `${k.sql} AS ${k.as}`);
  const src = `SELECT ${[...select, MEASURE_COLUMNS.join(", "), "latency"].join(", ")} FROM (${source}) s${o.where ? ` WHERE ${o.where}` : ""}`;
  const by = keyNames.length ? `GROUP BY ${keyNames.join(", ")}` : "";
  const agg = `SELECT ${[...keyNames, MERGED_MEASURES].join(", ")} FROM src ${by}`;
  if (!o.quantiles?.length) return `WITH src AS (${src}) ${agg}`;
  const hist = `SELECT ${[...keyNames, `${ELEMENT_BUCKET_SQL("e")} AS b`, `sum(${ELEMENT_COUNT_SQL("e")}) AS n`].join(", ")}
  FROM src, unnest(latency) e GROUP BY ${[...keyNames, "b"].join(", ")}`;
  const join = keyNames.length ? `LEFT JOIN pct USING (${keyNames.join(", ")})` : "LEFT JOIN pct ON true";
  // A bucket's value may lie a little above the slowest call in it: no percentile exceeds the exact max.
  return `WITH src AS MATERIALIZED (${src}), agg AS (${agg}), hist AS (${hist}),
pct AS (${sketchPercentilesSql("hist", keyNames, o.quantiles)})
SELECT agg.*, ARRAY(SELECT least(v, agg.duration_max_us::float8) FROM unnest(pct.pct) WITH ORDINALITY u(v, i) ORDER BY i) AS pct
FROM agg ${join}`;
}
