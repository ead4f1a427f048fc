import { dirname } from "node:path";
import pg from "pg";
import { openSchemaEngine, schemaFiles, schemaPath, sqlManagedFilter } from "./schema-engine";

/**
 * SQL that would take the live database at `url` to prisma/schema.prisma, or null when they
 * already agree. Tables in `ignoreTables` (managed by hand-written SQL, e.g. partitioned event
 * tables) are left out of the comparison.
 */
export async function schemaDrift(url: string): Promise<string | null> {
  const filters = sqlManagedFilter(await partitionsOf(url, "call_events"));
  const engine = await openSchemaEngine(url);
  try {
    const files = schemaFiles();
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: dirname(schemaPath) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true,
      filters,
    });
    const sql = (result.stdout ?? "").trim();
    return result.exitCode === 0 || sql === "" || sql === "-- This is an empty migration." ? null : sql;
  } finally {
    engine.free();
  }
}

/** Daily partitions are created at run time by ingestion, so they are found rather than listed. */
async function partitionsOf(url: string, table: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass($1)`,
      [table],
    );
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("usage: DATABASE_URL=postgresql://… npm run db:drift");
    process.exit(2);
  }
  const drift = await schemaDrift(url);
  if (drift) {
    console.error(`The database differs from prisma/schema.prisma. SQL to reconcile:\n${drift}`);
    process.exit(1);
  }
  console.log("The database matches prisma/schema.prisma.");
}
