-- Rollups of call_events for long dashboard ranges (server/analytics/rollups, docs/analytics.md).
-- Hand-written and SQL-managed like call_events.

-- One row per project, grouping set, bucket (an hour or a UTC day) and key. grp says which key
-- columns are kept (a bit set: 1 method + target, 2 client name, 4 client version), the others
-- hold ''. NULL target, client name or version are stored as '' too. Counts, sums and maxima are
-- exact. latency is a log-scaled histogram of duration_us, sparse: each element is
-- (bucket index << 32) | count, so histograms of any rows merge by summing counts per index, and
-- percentiles read from it are within 2 % of the exact value. The finest grouping set (7) has no
-- histogram: it only serves counts (tools used per client version).
CREATE TABLE "call_rollups" (
  "project_id"       TEXT        NOT NULL,
  "grp"              SMALLINT    NOT NULL,
  "grain"            INTEGER     NOT NULL,
  "bucket"           TIMESTAMPTZ NOT NULL,
  "method"           TEXT        NOT NULL,
  "target"           TEXT        NOT NULL,
  "client_name"      TEXT        NOT NULL,
  "client_version"   TEXT        NOT NULL,
  "calls"            BIGINT      NOT NULL,
  "errors"           BIGINT      NOT NULL,
  "tool_errors"      BIGINT      NOT NULL,
  "rpc_errors"       BIGINT      NOT NULL,
  "transport_errors" BIGINT      NOT NULL,
  "timeouts"         BIGINT      NOT NULL,
  "cancelled"        BIGINT      NOT NULL,
  "duration_sum_us"  BIGINT      NOT NULL,
  "duration_max_us"  BIGINT      NOT NULL,
  "bytes_out_sum"    BIGINT      NOT NULL,
  "bytes_out_max"    BIGINT      NOT NULL,
  "last_ts"          TIMESTAMPTZ NOT NULL,
  "latency"          BIGINT[],
  CONSTRAINT "call_rollups_pkey" PRIMARY KEY ("project_id", "grp", "grain", "bucket", "method", "target", "client_name", "client_version"),
  CONSTRAINT "call_rollups_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);

-- Hours whose rollup is missing or stale: ingestion marks the hour of every event it stores, in
-- the same statement, and the rollup job clears a mark in the transaction that rewrites the hour.
-- Readers take a marked hour from call_events instead of call_rollups, so a rollup is never read
-- stale.
CREATE TABLE "rollup_dirty" (
  "project_id" TEXT        NOT NULL,
  "hour"       TIMESTAMPTZ NOT NULL,
  CONSTRAINT "rollup_dirty_pkey" PRIMARY KEY ("project_id", "hour"),
  CONSTRAINT "rollup_dirty_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
