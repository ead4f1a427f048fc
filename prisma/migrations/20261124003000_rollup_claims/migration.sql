-- Hours the rollup job is rewriting. A claim moves an hour from rollup_dirty to here in a short
-- transaction, so ingestion marking that hour again during a long rewrite inserts a new
-- rollup_dirty row at once instead of waiting for the rewrite to commit. Readers treat an hour in
-- either table as dirty.
CREATE TABLE "rollup_claims" (
  "project_id" TEXT        NOT NULL,
  "hour"       TIMESTAMPTZ NOT NULL,
  "failures"   INTEGER     NOT NULL DEFAULT 0,
  "claimed_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT "rollup_claims_pkey" PRIMARY KEY ("project_id", "hour"),
  CONSTRAINT "rollup_claims_project_fkey" FOREIGN KEY ("project_id") REFERENCES "Project"("id") ON DELETE CASCADE
);
