/**
 * Next.js calls register() once when a server process starts: the place for the cloud's
 * background jobs (server/jobs). Node runtime only; the edge runtime has no database driver.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.TAPLINE_JOBS === "off") return;
  const { pool } = await import("./server/db/pool");
  const { jobSettingsFromEnv, startBackgroundJobs } = await import("./server/jobs/background-jobs");
  startBackgroundJobs(pool(), jobSettingsFromEnv());
}
