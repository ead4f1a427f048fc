import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { A, B, R, seedAnalyticsFixture, type AnalyticsFixture } from "./fixture";
import { getOverview } from "../../server/analytics/overview";
import { getToolDetail, listTools } from "../../server/analytics/tools";
import { listErrorGroups, listErrorOccurrences } from "../../server/analytics/errors";
import { listSlowCalls } from "../../server/analytics/slow-calls";
import { getSession, listSessions } from "../../server/analytics/sessions";
import { listClients } from "../../server/analytics/clients";
import { getCurrentSchema, getSchemaChanges } from "../../server/analytics/schema";
import { getOrganizationSummary } from "../../server/analytics/organization";

let f: AnalyticsFixture;
before(async () => {
  f = await seedAnalyticsFixture();
});
after(async () => {
  await f.close();
});

/** Every view of one project, as the dashboard would load it. */
async function everyView(projectId: string, tool: string, sessionId: string): Promise<unknown[]> {
  const scope = { projectId };
  const errors = await listErrorGroups(f.pool, scope, R);
  return [
    await getOverview(f.pool, scope, R),
    await listTools(f.pool, scope, R),
    await getToolDetail(f.pool, scope, R, { tool }),
    errors,
    ...(await Promise.all(errors.groups.map((g) => listErrorOccurrences(f.pool, scope, R, { key: g.key })))),
    await listSlowCalls(f.pool, scope, R, { thresholdMs: 0, limit: 500 }),
    await listSlowCalls(f.pool, scope, R, { thresholdMs: 0, sort: "time", limit: 500 }),
    await listSessions(f.pool, scope, R),
    await getSession(f.pool, scope, R, { sessionId }),
    await listClients(f.pool, scope, R),
    await getCurrentSchema(f.pool, scope),
    await getSchemaChanges(f.pool, scope, { from: new Date(0), to: R.to }),
  ];
}

test("no view of project A shows project B's tools, sessions, clients, errors or schema", async () => {
  const text = JSON.stringify(await everyView(A, "alpha", "s-1"));
  for (const marker of ["secret_tool", "s-b", "B-Client", "B-only"]) assert.ok(!text.includes(marker), `A's views mention ${marker}`);
  assert.ok(text.includes("alpha"));
});

test("no view of project B shows project A's data, and B's numbers are B's alone", async () => {
  const views = await everyView(B, "secret_tool", "s-b");
  const text = JSON.stringify(views);
  for (const marker of ["\"alpha\"", "\"beta\"", "\"gamma\"", "\"s-order\"", "\"Claude\"", "\"Cursor\"", "timeout after"]) assert.ok(!text.includes(marker), `B's views mention ${marker}`);
  const o = await getOverview(f.pool, { projectId: B }, R);
  assert.equal(o.totals.calls, 5);
  assert.equal(o.totals.errors, 1);
  assert.equal(o.totals.activeSessions, 1);
});

test("project A cannot read B's session or B's tool through A's scope", async () => {
  assert.equal(await getSession(f.pool, { projectId: A }, R, { sessionId: "s-b" }), null);
  const d = await getToolDetail(f.pool, { projectId: A }, R, { tool: "secret_tool" });
  assert.equal(d.stats, null);
  assert.deepEqual(d.schemaHistory, []);
});

test("the organization summary only covers the projects it is given", async () => {
  const s = await getOrganizationSummary(f.pool, { projectIds: [B] }, R);
  assert.deepEqual(s.projects.map((p) => [p.projectId, p.calls]), [[B, 5]]);
});
