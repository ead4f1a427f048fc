-- A dirty hour whose rollup rewrite fails is retried after a back-off (retry_at), so it cannot hold back the hours after it.
ALTER TABLE "rollup_dirty" ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "rollup_dirty" ADD COLUMN "retry_at" TIMESTAMPTZ;
