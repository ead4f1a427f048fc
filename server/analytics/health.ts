/**
 * Tool health badge: the worst level that either signal reaches.
 * Defaults: error rate ≥ 5 % → degraded, ≥ 25 % → failing; p95 ≥ 1 s → degraded, ≥ 5 s → failing.
 */
export type Health = "healthy" | "degraded" | "failing";

export interface HealthLevelThresholds {
  /** Error rate (non-ok / calls) in 0..1 at or above which the level applies. */
  errorRate: number;
  /** p95 latency in ms at or above which the level applies. */
  p95Ms: number;
}

export interface HealthThresholds {
  degraded: HealthLevelThresholds;
  failing: HealthLevelThresholds;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  degraded: { errorRate: 0.05, p95Ms: 1000 },
  failing: { errorRate: 0.25, p95Ms: 5000 },
};

/** Overrides merged over the defaults, level by level. */
export type HealthThresholdsInput = { [L in keyof HealthThresholds]?: Partial<HealthLevelThresholds> };

export function resolveThresholds(input: HealthThresholdsInput | undefined): HealthThresholds {
  return {
    degraded: { ...DEFAULT_HEALTH_THRESHOLDS.degraded, ...input?.degraded },
    failing: { ...DEFAULT_HEALTH_THRESHOLDS.failing, ...input?.failing },
  };
}

export function toolHealth(stats: { errorRate: number; p95Ms: number | null }, thresholds: HealthThresholds): Health {
  const reaches = (t: HealthLevelThresholds) => stats.errorRate >= t.errorRate || (stats.p95Ms !== null && stats.p95Ms >= t.p95Ms);
  if (reaches(thresholds.failing)) return "failing";
  if (reaches(thresholds.degraded)) return "degraded";
  return "healthy";
}
