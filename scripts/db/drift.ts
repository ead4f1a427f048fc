import { dirname } from "node:path";
import { noFilter, openSchemaEngine, schemaFiles, schemaPath } from "./schema-engine";

/**
 * SQL that would take the live database at `url` to prisma/schema.prisma, or null when they
 * already agree. Tables in `ignoreTables` (managed by hand-written SQL, e.g. partitioned event
 * tables) are left out of the comparison.
 */
export async function schemaDrift(url: string, ignoreTables: string[] = []): Promise<string | null> {
  const engine = await openSchemaEngine(url);
  try {
    const files = schemaFiles();
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: dirname(schemaPath) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true,
      filters: { ...noFilter, externalTables: ignoreTables },
    });
    const sql = (result.stdout ?? "").trim();
    return result.exitCode === 0 || sql === "" || sql === "-- This is an empty migration." ? null : sql;
  } finally {
    engine.free();
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
