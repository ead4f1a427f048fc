-- The session timeline's index as a hash index. Hand-written like 20261123180000_call_events:
-- call_events is SQL-managed. docs/ingestion.md (Performance) has the measurements.
--
-- The btree (project_id, session_id, seq) took every call at a random place (session ids have no
-- order), comparing two text keys on each level on the way down: about a sixth of the database's
-- CPU per ingested record. The timeline query (server/analytics/sessions.ts) asks only for
-- session_id equality, within the session's own first and last timestamps, and sorts what it finds.
-- A hash index answers that with one bucket page per partition and costs an insert one hash and
-- no comparisons. Session ids are not unique across projects: the query's project_id filter
-- applies to the rows found, which a collision can only make more, never fewer.
DROP INDEX IF EXISTS "call_events_project_session_idx";
CREATE INDEX "call_events_session_hash_idx" ON "call_events" USING hash ("session_id") WHERE "session_id" IS NOT NULL;
