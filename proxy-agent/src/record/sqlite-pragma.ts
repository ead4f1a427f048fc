import type { StoreDb } from "./store-database";

/**
 * The value of a pragma. libsql ignores better-sqlite3's `{ simple: true }` and `.pluck()`
 * (it returns the whole row, plus a `_metadata` field), so read the named column instead.
 */
export function pragmaValue(db: StoreDb, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return row?.[name];
}
