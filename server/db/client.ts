import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "../env";

export type Db = PrismaClient;

export function createPrismaClient(connectionString: string, options: { max?: number } = {}): PrismaClient {
  const max = options.max ?? (Number(process.env.DATABASE_POOL_MAX) || 10);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

// One client per process; kept on globalThis so Next.js dev reloads don't open a pool per reload.
const g = globalThis as { __taplineDb?: PrismaClient };

export function db(): PrismaClient {
  g.__taplineDb ??= createPrismaClient(env().DATABASE_URL);
  return g.__taplineDb;
}
