import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadMigrations } from "../../server/db/migrate";
import { migrationsDir, type MigrationList } from "./schema-engine";

/** The migrations folder in the shape the schema engine reads. */
export function migrationsList(dir = migrationsDir): MigrationList {
  const lockPath = join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: loadMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
    })),
  };
}
