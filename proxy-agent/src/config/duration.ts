import { ConfigError } from "./config-error";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `500ms`, `30s`, `5m`, `1h`, `7d`, `2w`, or a bare number of milliseconds → milliseconds.
 * `what` names the flag in the error so the one-line message says which value was wrong.
 */
export function parseDuration(text: string, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!match) {
    throw new ConfigError("bad_value", `${what}: "${text}" is not a duration (use e.g. 500ms, 30s, 5m, 1h, 7d, 2w)`);
  }
  const unit = (match[2] ?? "ms").toLowerCase();
  return Number(match[1]) * UNIT_MS[unit]!;
}
