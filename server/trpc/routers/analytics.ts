/**
 * The dashboard's reads: one query per view over server/analytics (see docs/analytics.md and
 * docs/dashboard.md). Every procedure is a `projectProcedure` (membership resolved from the
 * project id, NOT_FOUND for outsiders) or, for the organization summary, an `orgProcedure`; the
 * scope handed to the analytics functions always comes from ctx, never from the input.
 *
 * Ranges: either a preset (`1h`, `24h`, `7d`, `30d`, ending now) or explicit `{ from, to }`.
 * Health thresholds: an admin saves them per project (`setHealthThresholds`, stored in
 * Project.healthThresholds); a request may override them for one view (the UI keeps those in the
 * URL); both are merged over the defaults of server/analytics/health.ts.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { Prisma } from "../../db/generated/client";
import {
  AnalyticsInputError,
  getCall,
  getCurrentSchema,
  getOrganizationSummary,
  getOverview,
  getSchemaChanges,
  getSession,
  getToolDetail,
  listClients,
  listErrorGroups,
  listErrorOccurrences,
  listSessions,
  listSlowCalls,
  listTools,
  type HealthThresholdsInput,
  type TimeRange,
} from "../../analytics";
import { assertCan, can } from "../../auth/rbac";
import type { Db } from "../../db/client";
import { pool } from "../../db/pool";
import { createTRPCRouter, orgProcedure, projectProcedure } from "../init";

export const RANGE_PRESETS = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

const rangeInput = z
  .union([
    z.object({ preset: z.enum(["1h", "24h", "7d", "30d"]) }),
    z.object({ from: z.coerce.date({ error: "range.from must be a date" }), to: z.coerce.date({ error: "range.to must be a date" }) }),
  ])
  .default({ preset: "24h" });

type RangeInput = z.infer<typeof rangeInput>;

/** A preset ends now; an explicit range is taken as given (the analytics module checks it). */
export function resolveRange(input: RangeInput, now = new Date()): TimeRange {
  if ("preset" in input) return { from: new Date(now.getTime() - RANGE_PRESETS[input.preset]), to: now };
  return { from: input.from, to: input.to };
}

const level = z.object({
  errorRate: z.number({ error: "errorRate must be a number" }).min(0, "errorRate must be between 0 and 1").max(1, "errorRate must be between 0 and 1").optional(),
  p95Ms: z.number({ error: "p95Ms must be a number" }).min(0, "p95Ms must be 0 or more").max(3_600_000, "p95Ms must be at most one hour").optional(),
});
const thresholdsSchema = z.object({ degraded: level.optional(), failing: level.optional() });
const thresholds = thresholdsSchema.optional();

/** The project's saved thresholds (null when none, or when the stored JSON is not valid). */
async function savedThresholds(db: Db, projectId: string): Promise<HealthThresholdsInput | null> {
  const row = await db.project.findUnique({ where: { id: projectId }, select: { healthThresholds: true } });
  const parsed = thresholdsSchema.safeParse(row?.healthThresholds ?? null);
  return parsed.success ? parsed.data : null;
}

/** A request's override, level by level and field by field, over the saved thresholds. */
export function mergeThresholds(saved: HealthThresholdsInput | null | undefined, override: HealthThresholdsInput | undefined): HealthThresholdsInput | undefined {
  if (!saved && !override) return undefined;
  return {
    degraded: { ...saved?.degraded, ...override?.degraded },
    failing: { ...saved?.failing, ...override?.failing },
  };
}

const limit = z.number().int().min(1).max(500).optional();
const cursor = z.string().max(500).nullish();
const name = (what: string) => z.string().trim().min(1, `${what} is required`).max(500, `${what} is too long`);

/** Runs an analytics call; bad ranges, cursors and options become BAD_REQUEST with their message. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AnalyticsInputError) throw new TRPCError({ code: "BAD_REQUEST", message: e.message, cause: e });
    throw e;
  }
}

const read = projectProcedure.use(({ ctx, next }) => {
  assertCan(ctx, "project:read");
  return next();
});

export const analyticsRouter = createTRPCRouter({
  overview: read
    .input(z.object({ range: rangeInput, top: z.number().int().min(1).max(50).optional() }))
    .query(({ ctx, input }) => run(() => getOverview(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { top: input.top }))),

  /** Also says which thresholds the project saved and whether the caller may change them. */
  tools: read.input(z.object({ range: rangeInput, thresholds })).query(async ({ ctx, input }) => {
    const saved = await savedThresholds(ctx.db, ctx.project.id);
    const result = await run(() => listTools(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { thresholds: mergeThresholds(saved, input.thresholds) }));
    return { ...result, savedThresholds: saved, canSaveThresholds: can(ctx.role, "project:manage") };
  }),

  tool: read
    .input(z.object({ range: rangeInput, tool: name("tool"), thresholds, slowest: z.number().int().min(1).max(100).optional() }))
    .query(async ({ ctx, input }) => {
      const saved = await savedThresholds(ctx.db, ctx.project.id);
      return run(() =>
        getToolDetail(pool(), { projectId: ctx.project.id }, resolveRange(input.range), {
          tool: input.tool,
          thresholds: mergeThresholds(saved, input.thresholds),
          slowest: input.slowest,
        }),
      );
    }),

  /** Admin+: the project's health thresholds (null: back to the defaults). */
  setHealthThresholds: projectProcedure.input(z.object({ thresholds: thresholdsSchema.nullable() })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "project:manage");
    const t = input.thresholds;
    const empty = !t || (!Object.keys(t.degraded ?? {}).length && !Object.keys(t.failing ?? {}).length);
    await ctx.db.project.update({ where: { id: ctx.project.id }, data: { healthThresholds: empty ? Prisma.DbNull : t } });
    return { thresholds: empty ? null : t };
  }),

  slowCalls: read
    .input(
      z.object({
        range: rangeInput,
        thresholdMs: z.number().min(0).max(3_600_000).default(1000),
        sort: z.enum(["duration", "time"]).default("duration"),
        tool: name("tool").optional(),
        limit,
        cursor,
      }),
    )
    .query(({ ctx, input }) =>
      run(() =>
        listSlowCalls(pool(), { projectId: ctx.project.id }, resolveRange(input.range), {
          thresholdMs: input.thresholdMs,
          sort: input.sort,
          tool: input.tool,
          limit: input.limit,
          cursor: input.cursor,
        }),
      ),
    ),

  callDetail: read
    .input(z.object({ range: rangeInput, id: name("id") }))
    .query(({ ctx, input }) => run(() => getCall(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { id: input.id }))),

  errorGroups: read
    .input(z.object({ range: rangeInput, tool: name("tool").optional(), limit }))
    .query(({ ctx, input }) => run(() => listErrorGroups(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { tool: input.tool, limit: input.limit }))),

  errorOccurrences: read
    .input(z.object({ range: rangeInput, key: name("key"), limit, cursor }))
    .query(({ ctx, input }) =>
      run(() => listErrorOccurrences(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { key: input.key, limit: input.limit, cursor: input.cursor })),
    ),

  sessions: read
    .input(z.object({ range: rangeInput, client: name("client").optional(), limit, cursor }))
    .query(({ ctx, input }) =>
      run(() => listSessions(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { client: input.client, limit: input.limit, cursor: input.cursor })),
    ),

  session: read
    .input(z.object({ range: rangeInput, sessionId: name("sessionId"), limit: z.number().int().min(1).max(10_000).optional() }))
    .query(({ ctx, input }) => run(() => getSession(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { sessionId: input.sessionId, limit: input.limit }))),

  clients: read
    .input(z.object({ range: rangeInput, topTools: z.number().int().min(1).max(20).optional() }))
    .query(({ ctx, input }) => run(() => listClients(pool(), { projectId: ctx.project.id }, resolveRange(input.range), { topTools: input.topTools }))),

  schema: read
    .input(z.object({ range: rangeInput, serverId: name("serverId").optional(), kind: z.enum(["tools", "resources", "prompts", "resource_templates"]).optional() }))
    .query(({ ctx, input }) =>
      run(async () => {
        const scope = { projectId: ctx.project.id };
        const filter = { serverId: input.serverId, kind: input.kind };
        const [current, changes] = await Promise.all([getCurrentSchema(pool(), scope, filter), getSchemaChanges(pool(), scope, resolveRange(input.range), filter)]);
        return { current, changes };
      }),
    ),

  /** Health of every project of the org, in name order, for the organization page. */
  organization: orgProcedure.input(z.object({ range: rangeInput, thresholds })).query(async ({ ctx, input }) => {
    assertCan(ctx, "project:read");
    const projects = await ctx.db.project.findMany({
      where: { orgId: ctx.org.id },
      select: { id: true, name: true, slug: true, environment: true, firstEventAt: true, healthThresholds: true },
      orderBy: { name: "asc" },
    });
    // Each project's badge uses its own saved thresholds: one summary query per distinct set.
    const range = resolveRange(input.range);
    const groups = new Map<string, { thresholds: HealthThresholdsInput | undefined; ids: string[] }>();
    for (const p of projects) {
      const saved = thresholdsSchema.safeParse(p.healthThresholds ?? null);
      const effective = mergeThresholds(saved.success ? saved.data : null, input.thresholds);
      const key = JSON.stringify(effective ?? null);
      const group = groups.get(key) ?? { thresholds: effective, ids: [] };
      group.ids.push(p.id);
      groups.set(key, group);
    }
    const summaries = await Promise.all(
      [...groups.values()].map((g) => run(() => getOrganizationSummary(pool(), { projectIds: g.ids }, range, { thresholds: g.thresholds }))),
    );
    const byId = new Map(summaries.flatMap((s) => s.projects.map((h) => [h.projectId, { ...h, thresholds: s.thresholds }] as const)));
    return { projects: projects.map(({ healthThresholds: _saved, ...p }) => ({ ...p, health: byId.get(p.id) ?? null })) };
  }),
});
