-- Two call_events indexes that ingestion paid for on every insert and the dashboard can do without.
-- Hand-written like 20261123180000_call_events: call_events is SQL-managed. docs/ingestion.md
-- (Performance) has the measurements.
--
-- call_events_project_status_ts_idx, (project_id, ts) over failed calls, has the same key and
-- predicate as call_events_project_errors_idx (20261123190000_analytics_indexes), which also
-- carries the columns the error views read: every query it could serve, that one serves.
--
-- call_events_project_target_ts_idx, (project_id, target, ts), took an entry per event at one of a
-- few hot spots (one per tool): about a sixth of the database's insert work. It served a tool's
-- detail over ranges read from events (up to 6 hours, and the partial hours at the edges of longer
-- ranges, which otherwise come from rollups). Those queries now read the range by primary key and
-- keep the tool's calls, the way the tools list already reads every call of the range: a tool's
-- detail costs at most what the tools list costs for the same range.
DROP INDEX IF EXISTS "call_events_project_status_ts_idx";
DROP INDEX IF EXISTS "call_events_project_target_ts_idx";
