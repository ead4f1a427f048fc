/** Where to go after signing in: only same-site relative paths are followed (no open redirects). */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\") || /[\r\n\t]/.test(value)) return "/";
  return value;
}

/** The invitation token carried by `?invite=` or by a callback URL to `/invite/<token>`. */
export function inviteTokenFrom(invite: unknown, callbackUrl: unknown): string | undefined {
  if (typeof invite === "string" && invite) return invite;
  const match = typeof callbackUrl === "string" ? /^\/invite\/([^/?#]+)/.exec(callbackUrl) : null;
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
