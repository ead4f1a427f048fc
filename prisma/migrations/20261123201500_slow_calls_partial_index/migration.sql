-- Slow calls: index only the calls that can be slow, not every call.
-- Hand-written like 20261123180000_call_events: call_events is SQL-managed.
--
-- call_events_project_duration_idx put every ingested event at a random position of a
-- (project_id, duration_us, id) btree, which cost ingestion about a third of its throughput
-- (docs/ingestion.md, Performance). The slow-calls view asks for calls over a threshold of at
-- least 100 ms (its smallest choice), so a partial index over those serves it the same way, each
-- partition read backwards and merged, while ingestion touches it only for calls of 100 ms or more.
-- Queries repeat the bound as a literal (server/analytics/slow-calls.ts SLOW_INDEX_MIN_US).
-- Thresholds under 100 ms (a tool's slowest calls, custom URLs) read the indexed calls first and
-- then the faster ones by range. Partitions created later get it on ATTACH PARTITION.
DROP INDEX IF EXISTS "call_events_project_duration_idx";
CREATE INDEX "call_events_slow_idx" ON "call_events" ("project_id", "duration_us", "id") WHERE "duration_us" >= 100000;
