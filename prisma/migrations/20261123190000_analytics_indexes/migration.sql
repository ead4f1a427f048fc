-- Indexes for the dashboard's analytics queries (server/analytics, docs/analytics.md).
-- Hand-written like 20261123180000_call_events: call_events is SQL-managed.

-- Slow calls sorted by duration (listSlowCalls sorted by duration, and the slowest calls of one tool): each
-- daily partition is read backwards along this index and the partitions are merged, so the first
-- page costs a few index pages per partition instead of sorting every call of the range. The
-- trailing id makes the (duration_us, id) keyset cursor an index condition. Partitions created
-- later by PartitionManager get it on ATTACH PARTITION.
CREATE INDEX "call_events_project_duration_idx" ON "call_events" ("project_id", "duration_us", "id");

-- Error groups and their trend (listErrorGroups): a partial index over failed calls only (a few
-- percent of rows) that carries every column the grouping reads, so the aggregate is an
-- index-only scan instead of one heap fetch per failed call. Supersedes, for analytics, the plain
-- partial index call_events_project_status_ts_idx, which is left in place.
CREATE INDEX "call_events_project_errors_idx" ON "call_events" ("project_id", "ts")
  INCLUDE ("kind", "direction", "method", "target", "status", "error_code", "error_group", "session_id", "client_name")
  WHERE "status" <> 'ok';
