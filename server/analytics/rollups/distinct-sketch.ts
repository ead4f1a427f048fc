/**
 * A HyperLogLog sketch of distinct values (session ids), so that "affected sessions" of an error
 * group can be summed over hours and days, which exact distinct counts cannot. 128 registers:
 * ±9 % standard error in general, much better below ~300 values, where linear counting takes
 * over. Stored sparse as int[] elements register << 5 | rank; sketches merge by taking the
 * highest rank per register, in plain SQL.
 */
export const REGISTER_BITS = 7;
export const REGISTERS = 1 << REGISTER_BITS;
const RANK_BITS = 32 - REGISTER_BITS;
/** α_m of HyperLogLog for m = 128. */
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

/** SQL: the sketch element of one value (an int4 expression). */
export function distinctElementSql(value: string): string {
  const h = `(hashtext(${value})::int8 & 4294967295)`;
  const w = `(${h} >> ${REGISTER_BITS})`;
  // rank = position of the first 1 bit in the remaining bits, counted from the top (1-based).
  const rank = `(${RANK_BITS + 1} - length(ltrim(${w}::bit(${RANK_BITS})::text, '0')))`;
  return `((${h} & ${REGISTERS - 1})::int4 << 5 | ${rank})`;
}

export const ELEMENT_REGISTER_SQL = (e: string) => `(${e} >> 5)`;
export const ELEMENT_RANK_SQL = (e: string) => `(${e} & 31)`;

/**
 * SQL: the estimate from merged registers. `registers` is a relation `keys…, r (rank)` with one row
 * per key and non-empty register. Returns `keys…, estimate float8`.
 */
export function distinctEstimateSql(registers: string, keys: string[]): string {
  const raw = `${ALPHA * REGISTERS * REGISTERS} / (sum(power(2::float8, -r)) + (${REGISTERS} - count(*)))`;
  const zeros = `(${REGISTERS} - count(*))`;
  const estimate = `CASE WHEN ${raw} <= ${2.5 * REGISTERS} AND ${zeros} > 0 THEN ${REGISTERS} * ln(${REGISTERS}::float8 / ${zeros}) ELSE ${raw} END`;
  return `SELECT ${[...keys, `round(${estimate})::float8 AS estimate`].join(", ")} FROM ${registers}${keys.length ? ` GROUP BY ${keys.join(", ")}` : ""}`;
}
