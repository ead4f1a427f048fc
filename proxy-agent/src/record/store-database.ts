import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "libsql";
import { migrate } from "./store-migrations";

export type StoreDb = Database.Database;

/** Opens (creating if needed) the store for writing: WAL, migrations applied. Throws SQLite errors as they come. */
export function openStoreForWriting(path: string): StoreDb {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // A reader (tapline stats) never blocks the writer in WAL mode; NORMAL sync is safe with WAL
    // (a power cut can lose the last transactions, never corrupt the file).
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    migrate(db);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?)").run(String(Date.now()));
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** Why the analytics commands could not open the store. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  constructor(
    readonly code: "db_missing" | "db_unreadable",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens the store for the analytics commands. Read-only, so a query can never create an empty file
 * or take a write lock from a running proxy.
 */
export function openStoreForReading(path: string): StoreDb {
  if (!existsSync(path)) {
    throw new StoreError("db_missing", `no Tapline database at ${path} yet: run the proxy first (tapline stdio|http|sse), or point --db / TAPLINE_DB at it`);
  }
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 2000");
    // A file made by a proxy that never recorded anything may lack the tables; say so plainly.
    const hasCalls = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calls'").get();
    if (!hasCalls) {
      db.close();
      throw new StoreError("db_unreadable", `${path} is not a Tapline database (no calls table)`);
    }
    return db;
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError("db_unreadable", `cannot open ${path}: ${(e as Error).message}`);
  }
}
