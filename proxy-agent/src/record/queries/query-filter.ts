/** The window every analytics query is scoped to. */
export interface QueryFilter {
  /** Only calls at or after this epoch ms; undefined = all stored calls. */
  sinceMs?: number;
  serverId?: string;
}

/** `AND`-able SQL for the filter over the `calls` table (alias-free), with its parameters. */
export function callsWhere(filter: QueryFilter, extra: string[] = []): { where: string; params: unknown[] } {
  const clauses = [...extra];
  const params: unknown[] = [];
  if (filter.serverId !== undefined) {
    clauses.push("server_id = ?");
    params.push(filter.serverId);
  }
  if (filter.sinceMs !== undefined) {
    clauses.push("ts >= ?");
    params.push(filter.sinceMs);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

/** Statuses that count as failures in error rates: everything but `ok`, and `cancelled` (the client gave up on purpose). */
export const FAILED_STATUS_SQL = "status NOT IN ('ok', 'cancelled')";
export function isFailure(status: string): boolean {
  return status !== "ok" && status !== "cancelled";
}

export const usToMs = (us: number): number => us / 1000;
