/**
 * The fingerprint errors are grouped by, in the CLI (`tapline errors`) and in the cloud (stored
 * as `call_events.error_group` at ingestion): the message with the parts that vary between
 * occurrences of the same failure replaced by placeholders, so that "user 42 not found" and
 * "user 7 not found" fall into one group.
 *
 * Order matters: quoted strings, UUIDs, URLs and timestamps first, since they contain digits that
 * the later number rule would otherwise split up.
 */
const RULES: readonly [RegExp, string][] = [
  [/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, "<str>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s,;)]+/gi, "<url>"],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "<email>"],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, "<time>"],
  [/(?:[A-Za-z]:)?(?:[~.]{0,2}[\\/][\w.@%+~-]+){2,}[\\/]?/g, "<path>"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<id>"],
  [/\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]*[A-Za-z][A-Za-z0-9_-]*\d[A-Za-z0-9_-]{4,}\b/g, "<id>"],
  // Numbers glued to a unit (`30s`, `1200ms`) are variable too; digits inside a word (`v2`, `utf8`) are not.
  [/(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, "<n>"],
];

export const MAX_ERROR_GROUP_CHARS = 200;

export function normalizeErrorMessage(message: string | null | undefined): string {
  if (!message || message.trim() === "") return "";
  let out = message;
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  out = out.replace(/\s+/g, " ").trim();
  return out.length > MAX_ERROR_GROUP_CHARS ? `${out.slice(0, MAX_ERROR_GROUP_CHARS - 1)}…` : out;
}
