/**
 * Periodic work of the cloud process: rolling up the hours ingestion marked dirty, and retention
 * (raw event partitions, old rollups, finished tunnel sessions folded into one row per tunnel). Started once per process from instrumentation.ts. Every job
 * is safe to run in several instances at once (partition drops are IF EXISTS, rollup claims use
 * SKIP LOCKED), so scaling the app out needs no leader election.
 */
import type pg from "pg";
import { expireRollups, refreshRollups } from "../analytics/rollups/refresh-rollups";
import { PartitionManager } from "../ingest/partitions";
import { compactTunnelSessions } from "../tunnels/compact-tunnel-sessions";

export interface JobSettings {
  /** How often dirty hours are rolled up (ms). */
  rollupEveryMs: number;
  retentionDays: number;
  /** Daily rollups outlive raw events: a year of trends without a year of events. */
  dailyRollupDays: number;
}

export function jobSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JobSettings {
  return {
    rollupEveryMs: Number(env.ROLLUP_INTERVAL_MS) || 15_000,
    retentionDays: Number(env.EVENT_RETENTION_DAYS) || 90,
    dailyRollupDays: Number(env.ROLLUP_RETENTION_DAYS) || 400,
  };
}

/** Starts the jobs; returns a function that stops them. Failures are logged and retried next tick. */
export function startBackgroundJobs(pool: pg.Pool, settings: JobSettings): () => void {
  const partitions = new PartitionManager(pool, 2, settings.retentionDays);
  let rolling = false;
  const rollup = async () => {
    if (rolling) return;
    rolling = true;
    try {
      await refreshRollups(pool, {
        onFailure: (f) =>
          console.error(`rollups: hour ${f.hour.toISOString()} of project ${f.projectId} failed (${f.failures}×: ${f.error.message}); it stays read from raw events, next try ${f.retryAt.toISOString()}`),
      });
    } catch (e) {
      console.error(`rollups: ${(e as Error).message}`);
    } finally {
      rolling = false;
    }
  };
  const retention = async () => {
    try {
      const dropped = await partitions.dropExpired();
      if (dropped.length) console.log(`retention: dropped ${dropped.length} expired event partition(s)`);
      await expireRollups(pool, settings.retentionDays, settings.dailyRollupDays);
      await compactTunnelSessions(pool);
    } catch (e) {
      console.error(`retention: ${(e as Error).message}`);
    }
  };
  const timers = [
    setTimeout(() => void rollup(), 2_000),
    setInterval(() => void rollup(), settings.rollupEveryMs),
    setTimeout(() => void retention(), 10_000),
    setInterval(() => void retention(), 3_600_000),
  ];
  for (const t of timers) t.unref();
  return () => timers.forEach((t) => clearInterval(t));
}
