/**
 * Prisma's schema engine (WebAssembly build) driven directly, because the Prisma CLI needs a
 * native engine binary that cannot be downloaded offline. Used by the developer commands in
 * scripts/db/ (create a migration, check drift) and by the schema test; never at run time.
 *
 * Workarounds (see docs/database.md):
 * - the wasm module is instantiated by hand (no --experimental-wasm-modules);
 * - adapter-pg cannot decode PostgreSQL's internal "char" type (OID 18, array 1002) that the
 *   engine's catalog queries return, so those columns are relabelled as text;
 * - shadow databases are created and dropped (WITH (FORCE)) by us, after their pool is closed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaFilter, SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

const RELABEL: Record<number, number> = { 18: 25, 1002: 1009 };

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function relabel<T>(result: T): T {
  const fields = (result as QueryResultLike | undefined)?.fields;
  if (fields) for (const f of fields) f.dataTypeID = RELABEL[f.dataTypeID] ?? f.dataTypeID;
  return result;
}

/** A pg.Pool whose results never carry the "char" type ids adapter-pg cannot map. */
class RelabellingPool extends pg.Pool {
  override query(...args: unknown[]): never {
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    return (out instanceof Promise ? out.then(relabel) : out) as never;
  }
  override connect(...args: unknown[]): never {
    if (args.length) return (super.connect as (...a: unknown[]) => unknown)(...args) as never;
    return super.connect().then((client) => {
      const q = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...a: unknown[]) => {
        const out = q(...a);
        return out instanceof Promise ? out.then(relabel) : out;
      };
      return client;
    }) as never;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function adapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const connectTo = (connectionString: string) =>
    new PrismaPg(new RelabellingPool({ connectionString, max: 4 }), { disposeExternalPool: true }).connect();
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(url),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const name = `tapline_shadow_${randomUUID().replace(/-/g, "")}`;
      await adminQuery(url, `CREATE DATABASE "${name}"`);
      const adapter = await connectTo(withDatabase(url, name));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

let loaded = false;
function loadWasm(): void {
  if (loaded) return;
  const wasmPath = join(dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
  (bg as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  // A Rust panic reports its message through this registry; without it the panic reads as
  // "Cannot read properties of undefined (reading 'set_message')".
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(m: string): void } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    set_message(m: string) {
      this.message = `RuntimeError: ${m}`;
    },
  };
  loaded = true;
}

export const schemaPath = join(process.cwd(), "prisma/schema.prisma");
export const migrationsDir = join(process.cwd(), "prisma/migrations");
export const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Tables created by hand-written migrations (partitioned, analytics) rather than from the Prisma schema. */
export const SQL_MANAGED_TABLES = ["call_events", "call_events_default", "call_sessions", "schema_snapshots", "ingest_drops", "call_rollups", "rollup_dirty", "rollup_claims", "error_rollups", "slow_call_rollups"];

/** A filter that leaves `tables` (and the SQL-managed ones) to their hand-written migrations. */
export function sqlManagedFilter(tables: string[] = []): SchemaFilter {
  return { ...noFilter, externalTables: [...SQL_MANAGED_TABLES, ...tables].map((t) => (t.includes(".") ? t : `public.${t}`)) };
}

export function schemaFiles(path = schemaPath) {
  return [{ path, content: readFileSync(path, "utf8") }];
}

export async function openSchemaEngine(url: string): Promise<SchemaEngine> {
  loadWasm();
  const files = schemaFiles();
  const log = process.env.PRISMA_ENGINE_DEBUG ? (msg: string) => process.stderr.write(`${msg}\n`) : () => {};
  return (await bg.SchemaEngine.new(
    { datamodels: files.map((f) => [f.path, f.content] as [string, string]) },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory(url)),
  )) as SchemaEngine;
}

export { type MigrationList };
