/**
 * Percentile by linear interpolation between closest ranks, the definition PostgreSQL's
 * `percentile_cont` uses, so the CLI and the cloud dashboard report the same p95 for the same calls.
 * `sorted` must be ascending; `p` in [0, 1]. Returns null for an empty list.
 */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (position - lower);
}
