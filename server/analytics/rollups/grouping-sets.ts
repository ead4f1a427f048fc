/**
 * The grouping sets call_rollups keeps. `grp` is a bit set of the key columns a row keeps
 * (TOOL = method + target, CLIENT = client_name, VERSION = client_version); the others hold ''.
 * Each view reads the one set whose keys it groups by, so a 30-day tools list sums 20 tools × 30
 * days of rows instead of every client × version × tool combination.
 */
export const TOOL = 1;
export const CLIENT = 2;
export const VERSION = 4;

export interface GroupingSet {
  grp: number;
  columns: readonly ("method" | "target" | "client_name" | "client_version")[];
  /** Whether rows of this set carry a latency sketch. */
  latency: boolean;
}

function set(grp: number, latency = true): GroupingSet {
  const columns: GroupingSet["columns"][number][] = [];
  if (grp & TOOL) columns.push("method", "target");
  if (grp & CLIENT) columns.push("client_name");
  if (grp & VERSION) columns.push("client_version");
  return { grp, columns, latency };
}

export const GROUPING_SETS = {
  /** Everything: totals and the overview's series. */
  all: set(0),
  /** Per method and target: tools list, a tool's stats, top tools, per-tool health. */
  tool: set(TOOL),
  /** Per client name: clients view, top clients. */
  client: set(CLIENT),
  /** Per tool and client name: the clients of one tool, tools used by each client. */
  toolClient: set(TOOL | CLIENT),
  /** Per client name and version: the clients view's version rows. */
  clientVersion: set(CLIENT | VERSION),
  /** Finest: counts only (distinct tools used per client version). */
  full: set(TOOL | CLIENT | VERSION, false),
} as const satisfies Record<string, GroupingSet>;

export const ALL_SETS: readonly GroupingSet[] = Object.values(GROUPING_SETS);
