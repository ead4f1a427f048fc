-- Error groups rolled up per hour and UTC day, for long ranges of the errors view
-- (server/analytics/rollups, docs/analytics.md). Written by the same job, from the same dirty
-- hours, as call_rollups. Hand-written and SQL-managed like call_events.
-- target is '' for a NULL target, error_code -2147483648 for a NULL code, so the key can be a
-- primary key. sessions is a HyperLogLog sketch of the distinct session ids (sparse: each element
-- is register << 5 | rank, 128 registers), clients the distinct client names.
CREATE TABLE "error_rollups" (
  "project_id"  TEXT        NOT NULL,
  "grain"       INTEGER     NOT NULL,
  "bucket"      TIMESTAMPTZ NOT NULL,
  "method"      TEXT        NOT NULL,
  "target"      TEXT        NOT NULL,
  "status"      TEXT        NOT NULL,
  "error_code"  INTEGER     NOT NULL,
  "error_group" TEXT        NOT NULL,
  "count"       BIGINT      NOT NULL,
  "first_ts"    TIMESTAMPTZ NOT NULL,
  "last_ts"     TIMESTAMPTZ NOT NULL,
  "sessions"    INTEGER[]   NOT NULL,
  "clients"     TEXT[]      NOT NULL,
  CONSTRAINT "error_rollups_pkey" PRIMARY KEY ("project_id", "grain", "bucket", "method", "target", "status", "error_code", "error_group"),
  CONSTRAINT "error_rollups_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
