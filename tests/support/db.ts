/**
 * A fresh, migrated PostgreSQL database per test file, on the real server the suite runs
 * against (TEST_DATABASE_ADMIN_URL, default the local server at 127.0.0.1:5432). Dropped at the end.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../server/db/migrate";

export const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `tapline_t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (options.migrate !== false) await migrate(url);
  return {
    url,
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
