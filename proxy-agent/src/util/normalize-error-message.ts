/**
 * The fingerprint errors are grouped by, in the CLI (`tapline errors`) and in the cloud (stored
 * as `call_events.error_group` at ingestion): the message with the parts that vary between
 * occurrences of the same failure replaced by placeholders, so "timeout after 5003 ms on
 * /tmp/a1b2" and "timeout after 4999 ms on /tmp/c3d4" are one group.
 */
const RULES: [RegExp, string][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\bhttps?:\/\/[^\s"'<>)]+/gi, "<url>"],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "<email>"],
  [/"[^"]*"|'[^']*'|`[^`]*`/g, "<str>"],
  [/(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?/g, "<path>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b[0-9a-f]{16,}\b/gi, "<hex>"],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, "<time>"],
  [/-?\b\d+(?:\.\d+)?\b/g, "<n>"],
  [/\s+/g, " "],
];

export const MAX_ERROR_GROUP_CHARS = 200;

export function normalizeErrorMessage(message: string | null | undefined): string {
  if (!message) return "";
  let s = message;
  for (const [re, sub] of RULES) s = s.replace(re, sub);
  s = s.trim();
  return s.length > MAX_ERROR_GROUP_CHARS ? `${s.slice(0, MAX_ERROR_GROUP_CHARS - 1)}…` : s;
}
