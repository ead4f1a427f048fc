/**
 * Browser end-to-end of the dashboard: a project is seeded through the real ingestion API with
 * known calls, then every view is opened in Chromium and the numbers on screen are checked
 * against the seed; the "three clicks" paths are walked; screenshots go to
 * test-artifacts/screenshots/dashboard-*.png.
 *
 *   npx next build && node --import tsx --test tests/e2e/dashboard.test.ts
 *
 * The seed (all within the last hour, so every preset range holds it):
 *   get_forecast  20 calls, 10..200 ms, ok, plus 66 background calls (22 one-hour-apart sessions) → healthy
 *   search_docs    5 calls, 1.2 s .. 4.2 s, ok              → degraded (p95 ≥ 1 s); slowest call 4.20 s
 *   book_flight   10 calls, 4 "Airline API timeout after N ms" tool errors + 2 rpc errors → 60 % errors, failing
 *   sessions: sess-alpha (claude-ai 0.9.1): get_forecast + search_docs; sess-beta (cursor 1.5.0): book_flight;
 *             bg-1..bg-22 (claude-ai): 3 get_forecast each. Totals: 101 calls, 6 errors (5.9 %), 24 sessions
 *   schema: tools v1 (3 tools), then v2 (+cancel_flight, search_docs description changed)
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { makeToolsSnapshot } from "../../proxy-agent/src/record/testing/call-record-fixture";
import type { CallRecord } from "../../proxy-agent/src/wire";
import { createPrismaClient, type Db } from "../../server/db/client";
import { generateApiKey } from "../../server/keys/api-key";
import { startAppServer, type AppServer } from "../support/app-server";
import { makeBatch, makeRecord } from "../support/records";
import { launchBrowser, screenshot } from "./browser";

const PASSWORD = "correct horse battery staple";
const SERVER = "weather";

let app: AppServer;
let browser: Browser;
let db: Db;
let context: BrowserContext;
let page: Page;
let base: string;
let orgSlug: string;

/** Calls of one session, back to back (each starts 250 ms after the previous one ended). */
function sessionCalls(start: number, session: Partial<CallRecord>, calls: Partial<CallRecord>[]): CallRecord[] {
  let t = start;
  return calls.map((c, i) => {
    const r = makeRecord({ ...session, serverId: SERVER, ts: t, seq: i + 1, errorCode: null, errorMessage: null, ...c });
    t += Math.round(r.durationUs / 1000) + 250;
    return r;
  });
}

function seedRecords(now: number): CallRecord[] {
  const alpha = { sessionId: "sess-alpha", clientName: "claude-ai", clientVersion: "0.9.1" };
  const beta = { sessionId: "sess-beta", clientName: "cursor", clientVersion: "1.5.0" };
  const forecasts = Array.from({ length: 20 }, (_, i) => ({ target: "get_forecast", durationUs: (i + 1) * 10_000, bytesOut: 1000 + i * 100 }));
  const searches: Partial<CallRecord>[] = [1200, 1500, 1800, 2500, 4200].map((ms) => ({ target: "search_docs", durationUs: ms * 1000, bytesOut: 40_000 }));
  // The slowest call was captured with --capture-payloads.
  searches[4]!.payload = {
    request: { name: "search_docs", arguments: { query: "rate limits for the airline API", limit: 50 } },
    response: { content: [{ type: "text", text: "50 results (truncated)" }], isError: false },
  };
  const bookings: Partial<CallRecord>[] = (
    [
    { status: "tool_error", errorMessage: "Airline API timeout after 5003 ms" },
    { status: "tool_error", errorMessage: "Airline API timeout after 5120 ms" },
    { status: "ok" },
    { status: "tool_error", errorMessage: "Airline API timeout after 4988 ms" },
    { status: "rpc_error", errorCode: -32602, errorMessage: "Invalid params: date 2026-13-01" },
    { status: "ok" },
    { status: "tool_error", errorMessage: "Airline API timeout after 5301 ms" },
    { status: "ok" },
    { status: "rpc_error", errorCode: -32602, errorMessage: "Invalid params: date 2026-14-02" },
    { status: "ok" },
    ] satisfies Partial<CallRecord>[]
  ).map((f) => ({ target: "book_flight", durationUs: 300_000, ...f }));
  // Interleave forecasts and searches so the waterfall shows both.
  const alphaCalls = [...forecasts.slice(0, 8), searches[0]!, ...forecasts.slice(8, 14), searches[1]!, searches[2]!, ...forecasts.slice(14), searches[3]!, searches[4]!];
  // Background traffic over the last 22 hours: one short healthy session per hour.
  const background = Array.from({ length: 22 }, (_, h) =>
    sessionCalls(now - (h + 2) * 3_600_000 + 7 * 60_000, { sessionId: `bg-${h + 1}`, clientName: "claude-ai", clientVersion: "0.9.1" }, [
      { target: "get_forecast", durationUs: 40_000 + h * 1000 },
      { target: "get_forecast", durationUs: 60_000 + h * 1500 },
      { target: "get_forecast", durationUs: 80_000 + h * 500 },
    ]),
  ).flat();
  return [...sessionCalls(now - 40 * 60_000, alpha, alphaCalls), ...sessionCalls(now - 25 * 60_000, beta, bookings), ...background];
}

const TOOLS_V1 = [
  { name: "book_flight", description: "Book a flight", inputSchema: { type: "object" } },
  { name: "get_forecast", description: "Weather forecast for a city", inputSchema: { type: "object" } },
  { name: "search_docs", description: "Search the docs", inputSchema: { type: "object" } },
];
const TOOLS_V2 = [
  ...TOOLS_V1.filter((t) => t.name !== "search_docs"),
  { name: "search_docs", description: "Full-text search over the docs (slow)", inputSchema: { type: "object" } },
  { name: "cancel_flight", description: "Cancel a booking", inputSchema: { type: "object" } },
];

async function ingest(key: string, body: unknown): Promise<void> {
  const res = await fetch(`${app.url}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `ingest answered ${res.status}: ${await res.text()}`);
}

/** Email-and-password sign-up; lands on the new user's projects page. */
async function signUp(p: Page, name: string, email: string): Promise<void> {
  await p.goto(`${app.url}/signup`);
  await p.getByLabel(/name/i).first().fill(name);
  await p.getByLabel(/email/i).fill(email);
  await p.getByLabel(/^password/i).fill(PASSWORD);
  await p.getByRole("button", { name: "Create account", exact: true }).click();
  await p.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
}

/** Opens the thresholds form (unless it is open) and clicks one of its buttons. */
async function openThresholds(button: string): Promise<void> {
  const b = page.getByRole("button", { name: button });
  if (!(await b.isVisible())) await page.getByText("Health thresholds", { exact: true }).click();
  await b.click();
}

/** Text of the stat card whose label is `label` on the current page. */
async function stat(label: string): Promise<string> {
  return ((await page.locator(`[data-stat="${label}"]`).first().textContent()) ?? "").trim();
}

before(async () => {
  app = await startAppServer();
  browser = await launchBrowser();
  db = createPrismaClient(app.database.url, { max: 2 });

  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await signUp(page, "Dana Dashboard", "dana@example.com");

  const user = await db.user.findUniqueOrThrow({ where: { email: "dana@example.com" }, select: { id: true, memberships: { select: { org: true } } } });
  const org = user.memberships[0]!.org;
  orgSlug = org.slug;
  const project = await db.project.create({ data: { orgId: org.id, name: "Weather MCP", slug: "weather-mcp" } });
  const k = generateApiKey();
  await db.apiKey.create({ data: { projectId: project.id, name: "e2e", prefix: k.prefix, hash: k.hash, createdById: user.id } });
  // A quiet second project: the organization view must show both, the weather one in trouble.
  await db.project.create({ data: { orgId: org.id, name: "Calendar MCP", slug: "calendar-mcp" } });

  const now = Date.now();
  await ingest(k.key, makeBatch(seedRecords(now), { agent: { name: "tapline", version: "0.1.0", serverId: SERVER }, snapshots: [makeToolsSnapshot(TOOLS_V1, now - 23 * 3_600_000, SERVER)] }));
  await ingest(k.key, makeBatch([], { agent: { name: "tapline", version: "0.1.0", serverId: SERVER }, snapshots: [makeToolsSnapshot(TOOLS_V2, now - 20 * 60_000, SERVER)] }));
  base = `${app.url}/${orgSlug}/weather-mcp`;
});

after(async () => {
  await context?.close();
  await browser?.close();
  await db?.$disconnect();
  await app?.stop();
});

describe("dashboard in the browser", { timeout: 300_000 }, () => {
  test("overview shows the seeded totals, charts, top tools and clients", async () => {
    await page.goto(`${base}?range=24h`);
    await page.getByRole("navigation", { name: "Dashboard sections" }).waitFor();
    assert.equal(await stat("Calls"), "101");
    assert.equal(await stat("Error rate"), "5.9 %");
    assert.equal(await stat("Active sessions"), "24");
    await page.locator(".recharts-surface").first().waitFor();
    assert.ok(await page.getByRole("link", { name: /get_forecast/ }).first().isVisible());
    assert.ok(await page.getByRole("link", { name: /cursor/ }).first().isVisible());
    await screenshot(page, "dashboard-overview");
  });

  test("tools: health by threshold, error rate of the failing tool, never-called tools; thresholds are settable", async () => {
    await page.getByRole("navigation", { name: "Dashboard sections" }).getByRole("link", { name: "Tools" }).click();
    await page.getByRole("heading", { name: "Tools", level: 1 }).waitFor();
    const failing = page.getByRole("row", { name: /book_flight/ });
    assert.match((await failing.textContent()) ?? "", /failing/);
    assert.match((await failing.textContent()) ?? "", /60\.0 %/);
    assert.match((await page.getByRole("row", { name: /search_docs/ }).textContent()) ?? "", /degraded/);
    assert.match((await page.getByRole("row", { name: /get_forecast/ }).textContent()) ?? "", /healthy/);
    assert.ok(await page.getByRole("list", { name: "Tools never called" }).getByRole("link", { name: "cancel_flight" }).isVisible());
    await screenshot(page, "dashboard-tools");

    // Sorting by p95 puts the slowest tool first.
    await page.getByRole("button", { name: /^p95/ }).click();
    const first = page.locator("tbody tr").first();
    assert.match((await first.textContent()) ?? "", /search_docs/);

    // A stricter p95 threshold makes search_docs failing (thresholds live in the URL).
    await page.goto(`${base}/tools?range=24h&fail_p95=3000`);
    assert.match((await page.getByRole("row", { name: /search_docs/ }).textContent()) ?? "", /failing/);

    // Saved for the project (the owner may), the stricter threshold holds without the URL override…
    await openThresholds("Save for the project");
    await page.waitForURL((u) => !u.searchParams.has("fail_p95"));
    await page.getByText("(saved for this project)").waitFor();
    assert.match((await page.getByRole("row", { name: /search_docs/ }).textContent()) ?? "", /failing/);
    // …until it is reset.
    await openThresholds("Reset saved thresholds");
    await page.getByText("(saved for this project)").waitFor({ state: "detached" });
    assert.match((await page.getByRole("row", { name: /search_docs/ }).textContent()) ?? "", /degraded/);
  });

  test("three clicks: tools → slowest tool → its slowest call → its session", async () => {
    await page.goto(`${base}/tools?range=24h`);
    await page.getByRole("link", { name: "search_docs", exact: true }).click();
    await page.getByRole("heading", { name: /search_docs/, level: 1 }).waitFor();
    await page.locator(".recharts-surface").first().waitFor();
    await screenshot(page, "dashboard-tool-detail");
    const slowest = page.getByRole("table", { name: /Slowest calls/ }).locator("tbody tr").first();
    assert.match((await slowest.textContent()) ?? "", /4\.20 s/);
    await slowest.getByRole("link").first().click();
    await page.getByTestId("call-duration").waitFor();
    assert.equal((await page.getByTestId("call-duration").textContent())?.trim(), "4.20 s");
    assert.match((await page.locator("pre code").first().textContent()) ?? "", /rate limits for the airline API/);
    await screenshot(page, "dashboard-call");
    await page.getByRole("link", { name: "sess-alpha" }).click();
    await page.getByRole("list", { name: "Session timeline" }).waitFor();
    assert.equal(await page.getByRole("list", { name: "Session timeline" }).locator("li").count(), 25);
    assert.match((await page.getByRole("list", { name: "Tool-call sequence" }).textContent()) ?? "", /get_forecast×8.*search_docs.*get_forecast×6.*search_docs×2/);
    await screenshot(page, "dashboard-session");
  });

  test("three clicks: errors → noisiest group → the session where it happened, error in place", async () => {
    await page.goto(`${base}/errors?range=24h`);
    await page.getByRole("heading", { name: "Errors", level: 1 }).waitFor();
    assert.equal(await stat("Failed calls"), "6");
    const noisiest = page.getByRole("table", { name: "Error groups" }).locator("tbody tr").first();
    assert.match((await noisiest.textContent()) ?? "", /Airline API timeout/);
    assert.equal((await noisiest.locator("td").nth(2).textContent())?.trim(), "4", "count column of the noisiest group");
    await screenshot(page, "dashboard-errors");
    await noisiest.getByRole("link").first().click();
    await page.getByRole("table", { name: "Occurrences" }).waitFor();
    assert.equal(await page.getByRole("table", { name: "Occurrences" }).locator("tbody tr").count(), 4);
    await screenshot(page, "dashboard-error-group");
    await page.getByRole("table", { name: "Occurrences" }).locator("tbody tr").first().getByRole("link").first().click();
    await page.getByRole("list", { name: "Session timeline" }).waitFor();
    assert.match((await page.getByRole("heading", { level: 1 }).textContent()) ?? "", /sess-beta/);
    assert.match((await page.getByRole("list", { name: "Session timeline" }).textContent()) ?? "", /Airline API timeout after 5301 ms/);
  });

  test("slow calls: over the threshold, slowest first, each opens its detail", async () => {
    await page.goto(`${base}/slow?range=24h`);
    await page.getByRole("heading", { name: "Slow calls", level: 1 }).waitFor();
    const rows = page.getByRole("table", { name: "Slow calls" }).locator("tbody tr");
    assert.equal(await rows.count(), 5);
    assert.match((await rows.first().textContent()) ?? "", /4\.20 s/);
    await screenshot(page, "dashboard-slow-calls");
  });

  test("sessions and clients list every session and both clients with their numbers", async () => {
    await page.goto(`${base}/sessions?range=24h`);
    const rows = page.getByRole("table", { name: "Sessions" }).locator("tbody tr");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 24);
    assert.match((await page.getByRole("row", { name: /sess-beta/ }).textContent()) ?? "", /cursor/);
    await screenshot(page, "dashboard-sessions");

    await page.goto(`${base}/clients?range=24h`);
    await page.getByRole("heading", { name: "Clients", level: 1 }).waitFor();
    const claude = page.locator("tbody#client-claude-ai tr").first();
    assert.equal((await claude.locator("td").first().textContent())?.trim(), "91");
    const cursor = page.locator("tbody#client-cursor tr").first();
    assert.match((await cursor.textContent()) ?? "", /60\.0 %/);
    await screenshot(page, "dashboard-clients");
  });

  test("schema: current tools and the change as a diff", async () => {
    await page.goto(`${base}/schema?range=24h`);
    await page.getByRole("heading", { name: "Schema", level: 1 }).waitFor();
    const changes = page.getByRole("list", { name: "Schema changes" });
    assert.match((await changes.textContent()) ?? "", /added\s*cancel_flight/);
    assert.match((await changes.textContent()) ?? "", /changed\s*search_docs/);
    assert.match((await changes.textContent()) ?? "", /Full-text search over the docs/);
    await screenshot(page, "dashboard-schema");
  });

  test("organization view: one glance shows which server is in trouble", async () => {
    await page.goto(`${app.url}/${orgSlug}`);
    const weather = page.getByRole("link", { name: /Weather MCP/ });
    await weather.waitFor();
    assert.equal(await weather.locator("[data-health]").getAttribute("data-health"), "failing");
    assert.match((await weather.textContent()) ?? "", /1 failing/);
    assert.equal(await page.getByRole("link", { name: /Calendar MCP/ }).locator("[data-health]").count(), 0);
    await screenshot(page, "dashboard-organization");
    await weather.click();
    await page.getByRole("navigation", { name: "Dashboard sections" }).waitFor();
  });

  test("dark mode: overview and tools are readable, also on a phone", async () => {
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "dark", storageState: await context.storageState() });
    try {
      const p = await dark.newPage();
      p.setDefaultTimeout(30_000);
      await p.goto(`${base}?range=24h`);
      await p.locator(".recharts-surface").first().waitFor();
      assert.equal(await p.evaluate(() => document.documentElement.classList.contains("dark")), true);
      await screenshot(p, "dashboard-overview-dark");
      await p.goto(`${base}/tools?range=24h`);
      await p.getByRole("heading", { name: "Tools", level: 1 }).waitFor();
      await screenshot(p, "dashboard-tools-dark");

      // On a phone the sections scroll sideways inside their bar; the page itself does not.
      await p.setViewportSize({ width: 390, height: 844 });
      await p.goto(`${base}?range=24h`);
      await p.locator(".recharts-surface").first().waitFor();
      await screenshot(p, "dashboard-overview-mobile-dark");
      assert.equal(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), true, "no sideways scrolling on a phone");
    } finally {
      await dark.close();
    }
  });

  test("a viewer can read the dashboard; an outsider gets 404", async () => {
    const outsider = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const p = await outsider.newPage();
      p.setDefaultTimeout(30_000);
      await signUp(p, "Eve Outsider", "eve@example.com");
      const res = await p.goto(`${base}/tools?range=24h`);
      assert.equal(res?.status(), 404);

      // Made a viewer of the org, Eve sees the same numbers.
      const eve = await db.user.findUniqueOrThrow({ where: { email: "eve@example.com" } });
      const org = await db.organization.findUniqueOrThrow({ where: { slug: orgSlug } });
      await db.membership.create({ data: { orgId: org.id, userId: eve.id, role: "viewer" } });
      await p.goto(`${base}/tools?range=24h`);
      assert.match((await p.getByRole("row", { name: /book_flight/ }).textContent()) ?? "", /60\.0 %/);
    } finally {
      await outsider.close();
    }
  });
});
