/** The analytics module behind the dashboard: one file per view. See docs/analytics.md. */
export * from "./scope";
export * from "./buckets";
export * from "./health";
export * from "./overview";
export * from "./tools";
export * from "./slow-calls";
export * from "./errors";
export * from "./sessions";
export * from "./clients";
export * from "./schema";
export * from "./schema-diff";
export * from "./organization";
export type { CallSummary } from "./calls";
