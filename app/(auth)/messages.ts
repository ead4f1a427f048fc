/** What the sign-in pages say for Auth.js error types and our CredentialsSignin codes. */
export function signInErrorMessage(error: string | undefined, code?: string): string | null {
  if (!error) return null;
  if (error === "CredentialsSignin") {
    if (code === "rate_limited") return "Too many failed sign-ins. Wait 15 minutes and try again, or reset your password.";
    return "Wrong email or password.";
  }
  switch (error) {
    case "SignupRestricted":
      return "You can't create an account on this Tapline with that email: sign-up is limited to invited people or to certain email domains. Ask an admin of your organization for an invitation.";
    case "OAuthAccountNotLinked":
      return "An account with this email already exists with another sign-in method. Sign in the way you did before (for example with your password).";
    case "EmailRequired":
      return "Your provider did not share an email address, which Tapline needs. Make your email visible to the app, or use another sign-in method.";
    case "Verification":
      return "This sign-in link is invalid or has expired (links work once, for 24 hours). Ask for a new one.";
    case "AccessDenied":
      return "Access denied. You may not sign in to this Tapline with that account.";
    case "Configuration":
      return "Sign-in is misconfigured on the server. An administrator should check the server logs.";
    case "OAuthCallbackError":
    case "OAuthSignInError":
    case "CallbackRouteError":
    case "InvalidCheck":
      return "Sign-in with your provider did not complete. Try again — and make sure you browse Tapline at its configured address (APP_URL).";
    default:
      return "Sign-in failed. Try again.";
  }
}

export { inviteTokenFrom, safeCallbackUrl } from "@/server/auth/callback-url";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The first value of a query parameter. */
export function firstParam(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
