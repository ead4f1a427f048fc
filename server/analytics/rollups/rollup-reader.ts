/**
 * How views read rollups: the dirty hours of the projects are looked up once, then each query is
 * built over a ReadPlan of the range it needs (the view's range or its previous period, with or
 * without day rows) and run with its collected parameters. $1 is always the project id (or ids).
 */
import type pg from "pg";
import type { TimeRange } from "../scope";
import { loadDirtyHours, planRead, type ReadPlan } from "./read-plan";
import { SqlParams } from "./rollup-source";

export interface RollupReader {
  query<T extends pg.QueryResultRow>(
    options: { days: boolean; range?: TimeRange },
    build: (p: SqlParams, plan: ReadPlan, projects: string) => string,
  ): Promise<T[]>;
}

/** `cover`: the span every range read through this reader lies in (dirty hours are loaded for it). */
export async function rollupReader(pool: pg.Pool, projectIds: string[], cover: TimeRange): Promise<RollupReader> {
  const dirty = await loadDirtyHours(pool, projectIds, cover);
  const [first] = projectIds;
  const one = projectIds.length === 1 && first !== undefined;
  return {
    async query(options, build) {
      const p = new SqlParams([one ? first : projectIds]);
      const sql = build(p, planRead(options.range ?? cover, dirty, { days: options.days }), one ? "project_id = $1" : "project_id = ANY($1::text[])");
      return (await pool.query(sql, p.values)).rows;
    },
  };
}
