import type { StoreDb } from "../store-database";
import { percentileCont } from "./percentile";
import { callsWhere, isFailure, usToMs, type QueryFilter } from "./query-filter";

export interface GroupStats {
  name: string;
  calls: number;
  errors: number;
  /** errors / calls, 0..1. */
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanBytesIn: number;
  meanBytesOut: number;
}

export interface StatsReport {
  /** `tools/call` requests per tool name. */
  tools: GroupStats[];
  /** All requests per JSON-RPC method. */
  methods: GroupStats[];
  /** All requests per client name (`unknown` when the client never said). */
  clients: GroupStats[];
}

const GROUPINGS = {
  tools: { key: "target", extra: ["kind = 'request'", "method = 'tools/call'"] },
  methods: { key: "method", extra: ["kind = 'request'"] },
  clients: { key: "coalesce(client_name, 'unknown')", extra: ["kind = 'request'"] },
} as const;

/** Per tool, method and client: counts, error rate, exact latency percentiles and mean sizes. */
export function queryStats(db: StoreDb, filter: QueryFilter): StatsReport {
  return {
    tools: groupStats(db, filter, GROUPINGS.tools),
    methods: groupStats(db, filter, GROUPINGS.methods),
    clients: groupStats(db, filter, GROUPINGS.clients),
  };
}

interface Row {
  name: string | null;
  duration_us: number;
  status: string;
  bytes_in: number;
  bytes_out: number;
}

function groupStats(db: StoreDb, filter: QueryFilter, grouping: { key: string; extra: readonly string[] }): GroupStats[] {
  const { where, params } = callsWhere(filter, [...grouping.extra]);
  // Rows arrive grouped and sorted by duration, so each group's percentiles need no extra sort.
  const rows = db
    .prepare(`SELECT ${grouping.key} AS name, duration_us, status, bytes_in, bytes_out FROM calls ${where} ORDER BY 1, duration_us`)
    .iterate(...params) as IterableIterator<Row>;
  const out: GroupStats[] = [];
  let name: string | null | undefined;
  let durations: number[] = [];
  let errors = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  const close = () => {
    if (durations.length === 0) return;
    const n = durations.length;
    out.push({
      name: name ?? "(none)",
      calls: n,
      errors,
      errorRate: errors / n,
      p50Ms: usToMs(percentileCont(durations, 0.5)!),
      p95Ms: usToMs(percentileCont(durations, 0.95)!),
      p99Ms: usToMs(percentileCont(durations, 0.99)!),
      maxMs: usToMs(durations[n - 1]!),
      meanBytesIn: bytesIn / n,
      meanBytesOut: bytesOut / n,
    });
  };
  for (const row of rows) {
    if (durations.length > 0 && row.name !== name) {
      close();
      durations = [];
      errors = bytesIn = bytesOut = 0;
    }
    name = row.name;
    durations.push(row.duration_us);
    if (isFailure(row.status)) errors++;
    bytesIn += row.bytes_in;
    bytesOut += row.bytes_out;
  }
  close();
  return out.sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
}
