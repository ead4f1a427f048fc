import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres } from "./embedded";
import { migrate } from "./migrate";
import { createPrismaClient } from "./client";

test("the embedded database takes the same migrations and serves Prisma, and keeps data across restarts", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "tapline-pglite-"));
  try {
    let pgl = await startEmbeddedPostgres({ dataDir });
    const applied = await migrate(pgl.url);
    assert.ok(applied.length >= 1);
    let prisma = createPrismaClient(pgl.url, { max: 4 });
    const org = await prisma.organization.create({ data: { name: "Acme", slug: "acme" } });
    await prisma.project.create({ data: { orgId: org.id, name: "Weather MCP", slug: "weather" } });
    await prisma.$disconnect();
    await pgl.stop();

    pgl = await startEmbeddedPostgres({ dataDir });
    assert.deepEqual(await migrate(pgl.url), [], "nothing left to migrate after a restart");
    prisma = createPrismaClient(pgl.url, { max: 4 });
    const projects = await prisma.project.findMany({ where: { org: { slug: "acme" } } });
    assert.deepEqual(projects.map((p) => [p.name, p.environment]), [["Weather MCP", "production"]]);
    await prisma.$disconnect();
    await pgl.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
