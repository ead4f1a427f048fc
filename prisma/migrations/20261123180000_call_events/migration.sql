-- Observed calls, sessions and schema snapshots: written by the ingestion API, read by analytics.
-- Hand-written (Prisma cannot declare partitioned tables) and queried with SQL, not the Prisma
-- client. scripts/db/drift.ts treats these tables as externally managed. See docs/ingestion.md.

-- One row per observed call. Range-partitioned by day on ts so retention drops whole partitions
-- and time-bounded queries touch only the days they ask for. (project_id, ts, id) is the primary
-- key: a partitioned table's unique keys must contain the partition key, and an agent re-sending a
-- record sends the same ts with the same id, so re-sends are recognised as duplicates.
CREATE TABLE "call_events" (
  "project_id"     TEXT        NOT NULL,
  "id"             UUID        NOT NULL,
  "ts"             TIMESTAMPTZ NOT NULL,
  "duration_us"    BIGINT      NOT NULL,
  "server_id"      TEXT        NOT NULL,
  "transport"      TEXT        NOT NULL,
  "kind"           TEXT        NOT NULL,
  "direction"      TEXT        NOT NULL,
  "session_id"     TEXT,
  "client_name"    TEXT,
  "client_version" TEXT,
  "method"         TEXT        NOT NULL,
  "target"         TEXT,
  "rpc_id"         TEXT,
  "status"         TEXT        NOT NULL,
  "error_code"     INTEGER,
  "error_message"  TEXT,
  -- normalizeErrorMessage(error_message) (proxy-agent/src/util): what error groups are keyed on.
  "error_group"    TEXT,
  "bytes_in"       INTEGER     NOT NULL,
  "bytes_out"      INTEGER     NOT NULL,
  "seq"            INTEGER     NOT NULL,
  "http_status"    SMALLINT,
  "payload"        JSONB,
  "received_at"    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT "call_events_pkey" PRIMARY KEY ("project_id", "ts", "id")
) PARTITION BY RANGE ("ts");

-- Rows outside every daily partition land here rather than fail (clock skew, far-future stamps).
CREATE TABLE "call_events_default" PARTITION OF "call_events" DEFAULT;

CREATE INDEX "call_events_project_target_ts_idx" ON "call_events" ("project_id", "target", "ts");
CREATE INDEX "call_events_project_session_idx" ON "call_events" ("project_id", "session_id", "seq") WHERE "session_id" IS NOT NULL;
CREATE INDEX "call_events_project_status_ts_idx" ON "call_events" ("project_id", "ts") WHERE "status" <> 'ok';

-- One row per MCP session, kept current by each ingested batch (upsert).
CREATE TABLE "call_sessions" (
  "project_id"     TEXT        NOT NULL,
  "session_id"     TEXT        NOT NULL,
  "server_id"      TEXT        NOT NULL,
  "client_name"    TEXT,
  "client_version" TEXT,
  "first_ts"       TIMESTAMPTZ NOT NULL,
  "last_ts"        TIMESTAMPTZ NOT NULL,
  "calls"          INTEGER     NOT NULL DEFAULT 0,
  "errors"         INTEGER     NOT NULL DEFAULT 0,
  CONSTRAINT "call_sessions_pkey" PRIMARY KEY ("project_id", "session_id"),
  CONSTRAINT "call_sessions_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
CREATE INDEX "call_sessions_project_last_ts_idx" ON "call_sessions" ("project_id", "last_ts" DESC);

-- Each distinct version of a server's tools/resources/templates/prompts list (schema drift).
CREATE TABLE "schema_snapshots" (
  "project_id"  TEXT        NOT NULL,
  "server_id"   TEXT        NOT NULL,
  "kind"        TEXT        NOT NULL,
  "hash"        TEXT        NOT NULL,
  "canonical"   TEXT        NOT NULL,
  "first_seen"  TIMESTAMPTZ NOT NULL,
  "last_seen"   TIMESTAMPTZ NOT NULL,
  CONSTRAINT "schema_snapshots_pkey" PRIMARY KEY ("project_id", "server_id", "kind", "hash"),
  CONSTRAINT "schema_snapshots_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
CREATE INDEX "schema_snapshots_project_seen_idx" ON "schema_snapshots" ("project_id", "kind", "first_seen" DESC);

-- What agents reported dropping (their disk cap) so the loss is visible, never silent.
CREATE TABLE "ingest_drops" (
  "project_id"  TEXT        NOT NULL,
  "server_id"   TEXT        NOT NULL,
  "dropped"     BIGINT      NOT NULL DEFAULT 0,
  "updated_at"  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT "ingest_drops_pkey" PRIMARY KEY ("project_id", "server_id"),
  CONSTRAINT "ingest_drops_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
