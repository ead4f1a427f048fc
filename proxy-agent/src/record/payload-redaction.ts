export const REDACTED = "[REDACTED]";

/**
 * A copy of `value` where every property whose key matches `keys` has its value replaced,
 * at any depth. Strings that look like `Bearer …` credentials are redacted wherever they appear.
 */
export function redactSecrets(value: unknown, keys: RegExp): unknown {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, keys));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = keys.test(k) ? REDACTED : redactSecrets(v, keys);
    return out;
  }
  if (typeof value === "string" && /^\s*bearer\s+\S+/i.test(value)) return REDACTED;
  return value;
}
