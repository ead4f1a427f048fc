/**
 * Organization summary: the health of every project of an organization on one page. The caller
 * passes the organization's project ids (resolved from the signed-in membership, never from the
 * request); every query is filtered on them.
 */
import type pg from "pg";
import { resolveThresholds, toolHealth, type HealthThresholds, type HealthThresholdsInput } from "./health";
import { aggregateSql, GROUPING_SETS, rollupReader, rollupSource, usesRollups, type GroupingSet } from "./rollups";
import { assertRange, type TimeRange } from "./scope";
import { ERRORS, IS_CALL, IS_TOOL_CALL, num, rate, usToMs } from "./sql";

export interface OrganizationScope {
  projectIds: string[];
}

export interface ProjectHealth {
  projectId: string;
  calls: number;
  errors: number;
  errorRate: number;
  p95Ms: number | null;
  /** Tools whose health badge in the range is "failing" / "degraded". */
  failingTools: number;
  degradedTools: number;
  /** Latest event ever stored for the project (not only in the range); null if none. */
  lastEventAt: Date | null;
}

export interface OrganizationSummary {
  thresholds: HealthThresholds;
  /** In the order of the input project ids. */
  projects: ProjectHealth[];
}

const IN_ORG = `project_id = ANY($1::text[]) AND ts >= $2 AND ts < $3`;

export async function getOrganizationSummary(
  pool: pg.Pool,
  scope: OrganizationScope,
  range: TimeRange,
  options: { thresholds?: HealthThresholdsInput } = {},
): Promise<OrganizationSummary> {
  assertRange(range);
  const thresholds = resolveThresholds(options.thresholds);
  const ids = [...new Set(scope.projectIds)];
  if (!ids.length) return { thresholds, projects: [] };
  const [totals, tools] = usesRollups(range) ? await fromRollups(pool, ids, range) : await fromEvents(pool, ids, range);
  const last = await pool.query<{ project_id: string; last: Date | null }>(
    `SELECT p AS project_id, (SELECT max(ts) FROM call_events WHERE project_id = p) AS last FROM unnest($1::text[]) AS p`,
    [ids],
  );
  const byProject = new Map(totals.map((r) => [r.project_id, r]));
  const lastBy = new Map(last.rows.map((r) => [r.project_id, r.last]));
  const badges = new Map<string, { failing: number; degraded: number }>();
  for (const r of tools) {
    const calls = num(r.calls);
    const h = toolHealth({ errorRate: rate(num(r.errors), calls), p95Ms: usToMs(r.p95) }, thresholds);
    const b = badges.get(r.project_id) ?? { failing: 0, degraded: 0 };
    if (h === "failing") b.failing++;
    if (h === "degraded") b.degraded++;
    badges.set(r.project_id, b);
  }
  return {
    thresholds,
    projects: ids.map((projectId) => {
      const t = byProject.get(projectId);
      const calls = num(t?.calls);
      const errors = num(t?.errors);
      return {
        projectId,
        calls,
        errors,
        errorRate: rate(errors, calls),
        p95Ms: usToMs(t?.p95),
        failingTools: badges.get(projectId)?.failing ?? 0,
        degradedTools: badges.get(projectId)?.degraded ?? 0,
        lastEventAt: lastBy.get(projectId) ?? null,
      };
    }),
  };
}

type Totals = { project_id: string; calls: number; errors: number; p95: number | null };

async function fromEvents(pool: pg.Pool, ids: string[], range: TimeRange): Promise<[Totals[], Totals[]]> {
  const base = [ids, range.from, range.to];
  const [totals, tools] = await Promise.all([
    pool.query<Totals>(
      `SELECT project_id, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) AS p95
       FROM call_events WHERE ${IN_ORG} AND ${IS_CALL} GROUP BY project_id`,
      base,
    ),
    pool.query<Totals>(
      `SELECT project_id, target, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_us) AS p95
       FROM call_events WHERE ${IN_ORG} AND ${IS_TOOL_CALL} AND target IS NOT NULL GROUP BY project_id, target`,
      base,
    ),
  ]);
  return [totals.rows, tools.rows];
}

/** Long ranges: per project and per project and tool from rollups; an hour dirty in any project is read raw for all. */
async function fromRollups(pool: pg.Pool, ids: string[], range: TimeRange): Promise<[Totals[], Totals[]]> {
  const reader = await rollupReader(pool, ids, range);
  const run = (set: GroupingSet, keys: { sql: string; as: string }[], where?: string) =>
    reader.query<Totals>({ days: true }, (p, plan, projects) => {
      const sql = aggregateSql(rollupSource(p, { set, plan, projects }), { keys, where, quantiles: [0.95] });
      return `SELECT project_id, calls::float8 AS calls, errors::float8 AS errors, pct[1] AS p95 FROM (${sql}) a`;
    });
  const project = { sql: "project_id", as: "project_id" };
  return Promise.all([
    run(GROUPING_SETS.all, [project]),
    run(GROUPING_SETS.tool, [project, { sql: "target", as: "target" }], "method = 'tools/call' AND target <> ''"),
  ]);
}
