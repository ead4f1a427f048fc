import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/auth";
import { signInMethods } from "@/server/auth/providers";
import { db } from "@/server/db/client";
import { env } from "@/server/env";
import { SignUpForm } from "../_components/forms";
import { ProviderButtons } from "../_components/provider-buttons";
import { Alert, AuthCard, Divider, linkClass } from "../_components/ui";
import { firstParam, inviteTokenFrom, safeCallbackUrl, type SearchParams } from "../messages";

export const metadata: Metadata = { title: "Create account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(firstParam(params.callbackUrl));
  const session = await auth();
  if (session?.user?.id) redirect(callbackUrl);

  const e = env();
  const methods = signInMethods(e);
  const inviteToken = inviteTokenFrom(firstParam(params.invite), callbackUrl);
  const signInHref = `/signin${callbackUrl !== "/" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`;
  const firstUser = (await db().user.count()) === 0;
  const restriction = firstUser
    ? "You are the first user of this Tapline: your account will own its first organization."
    : inviteToken || e.SIGNUP_MODE === "open"
      ? null
      : e.SIGNUP_MODE === "invite"
        ? "Sign-up on this Tapline is by invitation. Use the link in your invitation email."
        : `Sign-up is open to ${e.SIGNUP_ALLOWED_DOMAINS.map((d) => `@${d}`).join(", ")} addresses, and to invited people.`;

  return (
    <AuthCard
      title="Create your Tapline account"
      subtitle={inviteToken ? "You are joining by invitation: use the invited email address." : undefined}
      footer={
        <>
          Already have an account?{" "}
          <Link href={signInHref} className={linkClass}>
            Sign in
          </Link>
        </>
      }
    >
      {restriction ? <Alert tone="info">{restriction}</Alert> : null}
      <ProviderButtons methods={methods} callbackUrl={callbackUrl} verb="Sign up" />
      {methods.some((m) => m.type === "oauth" || m.type === "oidc") ? <Divider label="or" /> : null}
      <SignUpForm callbackUrl={callbackUrl} email={firstParam(params.email)} inviteToken={inviteToken} />
    </AuthCard>
  );
}
