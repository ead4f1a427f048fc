import { defineConfig } from "prisma/config";

// The Prisma CLI is used only for `generate` here (its schema engine binary cannot be downloaded
// offline); migrations run through scripts/db (WebAssembly schema engine) and server/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/tapline" },
});
