import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { createTestDatabase } from "./support/db";
import { migrate, MigrationError } from "../server/db/migrate";
import { schemaDrift } from "../scripts/db/drift";

test("a database migrated from prisma/migrations matches prisma/schema.prisma exactly", async () => {
  const db = await createTestDatabase();
  try {
    assert.equal(await schemaDrift(db.url), null);
  } finally {
    await db.drop();
  }
});

test("a database missing a migration is reported as drift with the SQL that would fix it", async () => {
  const db = await createTestDatabase();
  try {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`ALTER TABLE "Project" DROP COLUMN "environment"`);
    await client.end();
    const drift = await schemaDrift(db.url);
    assert.ok(drift, "drift expected");
    assert.match(drift, /ALTER TABLE "Project" ADD COLUMN\s+"environment"/);
  } finally {
    await db.drop();
  }
});

test("migrating twice applies nothing the second time, and an edited applied migration is refused", async () => {
  const db = await createTestDatabase({ migrate: false });
  try {
    const first = await migrate(db.url);
    assert.ok(first.length >= 1);
    assert.deepEqual(await migrate(db.url), []);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
    assert.equal(rows[0].n, first.length);
    await client.query(`UPDATE "_prisma_migrations" SET checksum = 'x' WHERE migration_name = $1`, [first[0]]);
    await client.end();
    await assert.rejects(migrate(db.url), (e: unknown) => e instanceof MigrationError && e.code === "checksum_mismatch");
  } finally {
    await db.drop();
  }
});
