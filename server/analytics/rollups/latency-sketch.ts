/**
 * The latency histogram stored in call_rollups.latency: a log-scaled sketch in the manner of
 * DDSketch. Duration d µs falls in bucket ceil(log_γ d) (bucket 0 for d ≤ 1 µs), and a bucket is
 * reported as 2γ^b / (γ + 1), which is within ±α of every value in it. γ = (1 + α) / (1 − α) with
 * α = 2 %, so 1 s spans ~350 buckets and a typical tool fills 50–150 of them.
 *
 * Stored sparse as a bigint[] whose elements are (bucket << 32) | count: histograms of any set of
 * rows merge by summing the counts of equal buckets, which SQL does with unnest + GROUP BY, so
 * hourly rows add up to days and days to months without a custom aggregate.
 */
export const RELATIVE_ACCURACY = 0.02;
export const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
const COUNT_MASK = 0xffffffffn;

/** SQL: the bucket index of a duration in µs (an int8 expression). */
export function bucketOfSql(durationUs: string): string {
  return `(CASE WHEN ${durationUs} <= 1 THEN 0 ELSE ceil(ln(${durationUs}::float8) / ${LN_GAMMA})::int8 END)`;
}

/** SQL: the duration (µs, float8) a bucket index stands for. */
export function bucketValueSql(bucket: string): string {
  return `(CASE WHEN ${bucket} <= 0 THEN 1::float8 ELSE 2 * power(${GAMMA}::float8, ${bucket}) / ${GAMMA + 1} END)`;
}

/** SQL: one sketch element (bucket << 32 | count) from a bucket and a count. */
export function encodeSql(bucket: string, count: string): string {
  return `((${bucket})::int8 << 32 | (${count})::int8)`;
}

export const ELEMENT_BUCKET_SQL = (e: string) => `(${e} >> 32)`;
export const ELEMENT_COUNT_SQL = (e: string) => `(${e} & ${COUNT_MASK})`;

/** Same bucket index as bucketOfSql, in TypeScript (tests, expectations). */
export function bucketOf(durationUs: number): number {
  return durationUs <= 1 ? 0 : Math.ceil(Math.log(durationUs) / LN_GAMMA);
}

export function bucketValue(bucket: number): number {
  return bucket <= 0 ? 1 : (2 * GAMMA ** bucket) / (GAMMA + 1);
}

/** Decodes a stored sketch into bucket → count. */
export function decodeSketch(elements: readonly (string | number | bigint)[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const raw of elements) {
    const e = BigInt(raw);
    out.set(Number(e >> 32n), Number(e & COUNT_MASK));
  }
  return out;
}

/**
 * SQL computing percentiles from per-bucket counts. `hist` must be a relation with the columns
 * `keys…, b (bucket), n (count)`, one row per key and bucket. Like percentile_cont, quantile q sits
 * at 0-based rank r = q·(n − 1) and interpolates linearly between the elements at ⌊r⌋ and ⌈r⌉; each
 * is located by the running sum and stands for its bucket's value, so the answer is within ±α of
 * percentile_cont's. Returns rows `keys…, pct float8[]` (µs).
 */
export function sketchPercentilesSql(hist: string, keys: string[], quantiles: readonly number[]): string {
  const part = keys.length ? `PARTITION BY ${keys.join(", ")}` : "";
  const at = (rank: string) => bucketValueSql(`min(b) FILTER (WHERE cum > ${rank})`);
  const pick = quantiles
    .map((q) => {
      const r = `(${q} * (total - 1))`;
      const lo = at(`floor${r}`);
      const hi = at(`ceil${r}`);
      const frac = `(${q} * (max(total) - 1) - floor(${q} * (max(total) - 1)))`;
      return `${lo} + (${hi} - ${lo}) * ${frac}`;
    })
    .join(", ");
  return `SELECT ${[...keys, `ARRAY[${pick}] AS pct`].join(", ")}
FROM (SELECT ${[...keys, "b", `sum(n) OVER (${part} ORDER BY b) AS cum`, `sum(n) OVER (${part}) AS total`].join(", ")} FROM ${hist}) ranked
${keys.length ? `GROUP BY ${keys.join(", ")}` : ""}`;
}
