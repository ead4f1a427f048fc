/** Keys whose values never leave the proxy in captured payloads, whatever `--redact-keys` adds. */
export const DEFAULT_REDACT_KEYS = ["password", "passwd", "token", "secret", "authorization", "api_key", "apikey", "api-key", "cookie"];

/**
 * The key matcher for captured payloads: the defaults plus a comma list from `--redact-keys`,
 * each matched as a case-insensitive substring of the key (so `token` also covers `access_token`).
 */
export function buildRedactKeys(extra: string | undefined): RegExp {
  const words = [...DEFAULT_REDACT_KEYS, ...(extra ?? "").split(",")].map((w) => w.trim()).filter(Boolean);
  return new RegExp(words.map(escapeRegExp).join("|"), "i");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
