import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { TunnelSessionUsage } from "@tapline/tunnel-relay/usage-report";
import { createPool } from "../db/pool";
import { createTenancyFixture, type TenancyFixture } from "../../tests/support/tenancy-fixtures";
import type { VerifiedApiKey } from "../keys";
import { recordTunnelUsage } from "./record-tunnel-usage";
import { tunnelUsage } from "./tunnel-usage";
import { compactTunnelSessions } from "./compact-tunnel-sessions";

let f: TenancyFixture;
let pool: pg.Pool;
let keyA: VerifiedApiKey;
let keyB: VerifiedApiKey;
let tunnelName: string;

before(async () => {
  f = await createTenancyFixture();
  pool = createPool(f.database.url, 2);
  tunnelName = (await f.db.tunnel.findUniqueOrThrow({ where: { id: f.a.tunnelId } })).name;
  const key = (o: typeof f.a): VerifiedApiKey => ({ id: o.keyId, name: "k", prefix: o.key.slice(0, 12), projectId: o.projectId, projectName: o.projectName, orgId: o.orgId, orgName: o.orgName, scopes: ["tunnel"] });
  keyA = key(f.a);
  keyB = key(f.b);
});
after(async () => {
  await pool?.end();
  await f?.close();
});

function session(over: Partial<TunnelSessionUsage> = {}): TunnelSessionUsage {
  return { sessionId: randomUUID(), name: tunnelName, connectedForMs: 60_000, requests: 0, bytesIn: 0, bytesOut: 0, ended: false, staleAfterMs: 45_000, ...over };
}

test("reports are cumulative per session: repeats and late, smaller reports never double-count or lower the totals", async () => {
  const one = session({ requests: 10, bytesIn: 1000, bytesOut: 5000 });
  await recordTunnelUsage(pool, keyA, [one]);
  await recordTunnelUsage(pool, keyA, [one]); // a retry of the same report
  await recordTunnelUsage(pool, keyA, [{ ...one, requests: 7, bytesIn: 10, bytesOut: 10 }]); // an older report arriving late
  const two = session({ requests: 3, bytesIn: 30, bytesOut: 300, connectedForMs: 5_000 }); // e.g. the agent on another relay instance
  await recordTunnelUsage(pool, keyA, [two, { ...one, requests: 12, bytesIn: 1200, bytesOut: 6000 }]);

  const u = (await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!;
  assert.deepEqual([u.requests, u.bytesIn, u.bytesOut], [15, 1230, 6300]);
  assert.equal(u.online, true);
  assert.equal(u.agents, 2);
  const age = Date.now() - u.connectedSince!.getTime();
  assert.ok(age > 55_000 && age < 70_000, `connected since the older session's start (${age} ms ago)`);

  // Both connections end: the totals stay, the tunnel is offline.
  await recordTunnelUsage(pool, keyA, [{ ...two, ended: true }, { ...one, requests: 12, bytesIn: 1200, bytesOut: 6000, ended: true }]);
  await recordTunnelUsage(pool, keyA, [{ ...one, requests: 12, bytesIn: 1200, bytesOut: 6000, ended: false }]); // reordered: ended stays ended
  const after = (await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!;
  assert.deepEqual([after.online, after.connectedSince, after.agents, after.requests], [false, null, 0, 15]);
});

test("a session whose relay stopped reporting turns offline once its report goes stale", async () => {
  const quiet = session({ staleAfterMs: 300 });
  await recordTunnelUsage(pool, keyA, [quiet]);
  assert.equal((await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!.online, true);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal((await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!.online, false);
});

test("another organization's key cannot report for a tunnel, nor move a session it does not own", async () => {
  const theirs = session({ requests: 1 });
  const refused = await recordTunnelUsage(pool, keyB, [theirs]);
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.code, "not_your_tunnel");
  assert.equal(await f.db.tunnelSession.count({ where: { id: theirs.sessionId } }), 0);

  // A session id seen for one tunnel cannot be re-pointed at another one.
  const bName = (await f.db.tunnel.findUniqueOrThrow({ where: { id: f.b.tunnelId } })).name;
  const mine = session({ requests: 5 });
  await recordTunnelUsage(pool, keyA, [mine]);
  await recordTunnelUsage(pool, keyB, [{ ...mine, name: bName, requests: 50 }]);
  const row = await f.db.tunnelSession.findUniqueOrThrow({ where: { id: mine.sessionId } });
  assert.equal(row.tunnelId, f.a.tunnelId);
  assert.equal(row.requests, 5n);
});

test("finished sessions older than 30 days fold into one archive row per tunnel; totals stay", async () => {
  const before = (await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!;
  const old = [session({ requests: 5, bytesIn: 50, bytesOut: 500, ended: true }), session({ requests: 6, bytesIn: 60, bytesOut: 600, staleAfterMs: 1 })];
  await recordTunnelUsage(pool, keyA, old);
  const live = session({ requests: 1 });
  await recordTunnelUsage(pool, keyA, [live]);
  await pool.query(`UPDATE "TunnelSession" SET "lastSeenAt" = now() - interval '40 days', "staleAt" = least("staleAt", now()) WHERE id = ANY($1)`, [old.map((s) => s.sessionId)]);
  assert.equal(await compactTunnelSessions(pool), 2);
  assert.equal(await compactTunnelSessions(pool), 0, "nothing twice");
  const { rows } = await pool.query(`SELECT id FROM "TunnelSession" WHERE "tunnelId" = $1 AND id = ANY($2)`, [f.a.tunnelId, [...old.map((s) => s.sessionId), live.sessionId]]);
  assert.deepEqual(rows.map((r) => r.id), [live.sessionId], "the live session is kept, the old ones are gone");
  const after = (await tunnelUsage(f.db, [f.a.tunnelId])).get(f.a.tunnelId)!;
  assert.deepEqual([after.requests, after.bytesIn, after.bytesOut], [before.requests + 12, before.bytesIn + 110, before.bytesOut + 1100]);
  assert.equal(after.online, true);
});
