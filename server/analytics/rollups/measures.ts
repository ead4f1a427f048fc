/**
 * The additive measures of a rollup row, shared by the refresh job (which sums them from events
 * and from hours into days) and the readers (which sum them over a range).
 */
export const STATUS_COUNTERS = [
  ["tool_errors", "tool_error"],
  ["rpc_errors", "rpc_error"],
  ["transport_errors", "transport_error"],
  ["timeouts", "timeout"],
  ["cancelled", "cancelled"],
] as const;

/** Columns summed when rows merge. */
export const SUMMED = ["calls", "errors", ...STATUS_COUNTERS.map(([c]) => c), "duration_sum_us", "bytes_out_sum"] as const;
/** Columns maximised when rows merge. */
export const MAXED = ["duration_max_us", "bytes_out_max", "last_ts"] as const;

/** The measures of one call_events row, as a rollup of one call (SELECT list, aliased). */
export const EVENT_MEASURES = [
  "1::int8 AS calls",
  "(status <> 'ok')::int::int8 AS errors",
  ...STATUS_COUNTERS.map(([c, s]) => `(status = '${s}')::int::int8 AS ${c}`),
  "duration_us AS duration_sum_us",
  "bytes_out::int8 AS bytes_out_sum",
  "duration_us AS duration_max_us",
  "bytes_out::int8 AS bytes_out_max",
  "ts AS last_ts",
].join(", ");

/** Aggregates merging rows of the measures above (SELECT list, aliased to the same names). */
export const MERGED_MEASURES = [...SUMMED.map((c) => `sum(${c})::int8 AS ${c}`), ...MAXED.map((c) => `max(${c}) AS ${c}`)].join(", ");

export const MEASURE_COLUMNS = [...SUMMED, ...MAXED] as const;
