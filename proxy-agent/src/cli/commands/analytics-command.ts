import type { CommandContext, OptionSpecs } from "../command";
import type { Style } from "../output/style";
import type { QueryFilter } from "../../record/queries/query-filter";
import { openStoreForReading, type StoreDb } from "../../record/store-database";
import { resolveDbPath } from "../../config/store-options";
import { parseDuration } from "../../config/duration";
import { styleFor } from "../output/style";
import { usageError } from "../cli-error";
import { EXIT } from "../exit-codes";

/** Options every analytics command takes. */
export const ANALYTICS_OPTIONS: OptionSpecs = {
  since: { type: "string", valueName: "duration", description: "Only calls in this window: 30s, 15m, 1h, 24h, 7d, 2w (default 24h; 'all' for everything)" },
  "server-id": { type: "string", valueName: "id", description: "Only this server" },
  json: { type: "boolean", description: "Machine-readable JSON on stdout (stable keys; times in epoch ms, durations in ms)" },
  limit: { type: "string", valueName: "n", description: "At most this many rows" },
  db: { type: "string", valueName: "path", description: "Database file (default $TAPLINE_DB or ~/.tapline/tapline.db)" },
};

export interface AnalyticsContext {
  db: StoreDb;
  dbPath: string;
  filter: QueryFilter;
  limit: number;
  style: Style;
  now: number;
  /** `last 24h, server x`: printed under tables so the window is never forgotten. */
  windowLabel: string;
}

/** What a query renders to: `json` for `--json`, `text` for people. */
export interface AnalyticsOutput {
  json: unknown;
  text: string;
}

/**
 * The shared shape of `stats`, `slow`, `errors`, … : open the store read-only, build the filter,
 * run the query, print JSON or a table. `defaults.since` is per command (`tools` looks further back).
 */
export async function runAnalytics(
  context: CommandContext,
  defaults: { since: string | undefined; limit: number },
  query: (a: AnalyticsContext) => AnalyticsOutput,
): Promise<number> {
  const { values, io } = context;
  const now = io.now?.() ?? Date.now();
  const filter = buildFilter(values.since as string | undefined, defaults.since, values["server-id"] as string | undefined, now);
  const window = (values.since as string | undefined) ?? defaults.since;
  const windowLabel = [window === undefined || window === "all" ? "all stored calls" : `last ${window}`, ...(filter.serverId ? [`server ${filter.serverId}`] : [])].join(", ");
  const limit = parseLimit(values.limit as string | undefined, defaults.limit);
  const dbPath = resolveDbPath(values.db as string | undefined, io.env, io.cwd);
  const db = openStoreForReading(dbPath);
  try {
    const output = query({ db, dbPath, filter, limit, style: styleFor(io.stdout, io.env), now, windowLabel });
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify({ since: filter.sinceMs ?? null, serverId: filter.serverId ?? null, ...(output.json as object) }, null, 2)}\n`);
    } else {
      io.stdout.write(output.text);
    }
  } finally {
    db.close();
  }
  return EXIT.ok;
}

function buildFilter(since: string | undefined, defaultSince: string | undefined, serverId: string | undefined, now: number): QueryFilter {
  const filter: QueryFilter = {};
  const window = since ?? defaultSince;
  if (window !== undefined && window !== "all") filter.sinceMs = now - parseDuration(window, "--since");
  if (serverId !== undefined) filter.serverId = serverId;
  return filter;
}

function parseLimit(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw usageError(`--limit: "${text}" is not a positive whole number`);
  return Number(text);
}

/** The line under a table saying which window it covers. */
export function windowNote(a: AnalyticsContext): string {
  return a.style.dim(`(${a.windowLabel})`) + "\n";
}

/** One line when there is nothing to show, instead of an empty table. */
export function emptyNote(what: string, a: AnalyticsContext): string {
  return `No ${what} ${a.style.dim(`(${a.windowLabel})`)}\n`;
}
