// `npm run db:migrate`: apply pending migrations to DATABASE_URL (what `npm start` does at boot).
import { migrate } from "../../server/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("usage: DATABASE_URL=postgresql://… npm run db:migrate");
  process.exit(2);
}
try {
  const applied = await migrate(url, { log: (l) => console.log(l) });
  console.log(applied.length ? `${applied.length} migration(s) applied.` : "Database is up to date.");
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
