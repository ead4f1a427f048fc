-- The slowest tools/call requests of each tool per hour and UTC day (the top 20 by duration), so a
-- tool's slowest calls over a long range are found among ~20 candidates per day instead of by
-- scanning every call of the range (server/analytics/rollups/slow-call-rollups.ts). Exact: the
-- slowest N calls of a range are each among the slowest N of their hour or day. Written by the
-- rollup job with call_rollups. Hand-written and SQL-managed like call_events.
CREATE TABLE "slow_call_rollups" (
  "project_id"  TEXT        NOT NULL,
  "grain"       INTEGER     NOT NULL,
  "bucket"      TIMESTAMPTZ NOT NULL,
  "target"      TEXT        NOT NULL,
  "duration_us" BIGINT      NOT NULL,
  "ts"          TIMESTAMPTZ NOT NULL,
  "id"          UUID        NOT NULL,
  CONSTRAINT "slow_call_rollups_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
CREATE INDEX "slow_call_rollups_bucket_idx" ON "slow_call_rollups" ("project_id", "grain", "bucket", "target");
