/** Rollups of call_events for long ranges: see docs/analytics.md ("Rollups"). */
export * from "./grouping-sets";
export * from "./latency-sketch";
export * from "./read-plan";
export * from "./rollup-source";
export * from "./rollup-reader";
export * from "./refresh-rollups";
export * from "./error-rollups";
export * from "./distinct-sketch";
export * from "./slow-call-rollups";
