import type pg from "pg";

/**
 * Sets a project's `firstEventAt` when its first events arrive (the UI's "waiting for first call"
 * → live). Remembers which projects are live so that later batches cost no query.
 */
export function markProjectsLive(pool: pg.Pool): (projectId: string, firstEventTs: Date) => Promise<void> {
  const live = new Set<string>();
  return async (projectId, firstEventTs) => {
    if (live.has(projectId)) return;
    await pool.query(`UPDATE "Project" SET "firstEventAt" = $2 WHERE id = $1 AND "firstEventAt" IS NULL`, [projectId, firstEventTs]);
    live.add(projectId);
  };
}
