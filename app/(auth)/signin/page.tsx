import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/auth";
import { signInMethods } from "@/server/auth/providers";
import { env } from "@/server/env";
import { EmailLinkForm, PasswordSignInForm } from "../_components/forms";
import { ProviderButtons } from "../_components/provider-buttons";
import { Alert, AuthCard, Divider, linkClass } from "../_components/ui";
import { firstParam, safeCallbackUrl, signInErrorMessage, type SearchParams } from "../messages";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(firstParam(params.callbackUrl));
  const session = await auth();
  if (session?.user?.id) redirect(callbackUrl);

  const methods = signInMethods(env());
  const error = signInErrorMessage(firstParam(params.error), firstParam(params.code));
  const passwordError = firstParam(params.error) === "CredentialsSignin" ? error : null;
  const emailLinks = methods.some((m) => m.type === "email");
  const signUpHref = `/signup${callbackUrl !== "/" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`;

  return (
    <AuthCard
      title="Sign in to Tapline"
      footer={
        <>
          New here?{" "}
          <Link href={signUpHref} className={linkClass}>
            Create an account
          </Link>
        </>
      }
    >
      {error && !passwordError ? <Alert>{error}</Alert> : null}
      <ProviderButtons methods={methods} callbackUrl={callbackUrl} verb="Continue" />
      {methods.length > 1 ? <Divider label="or" /> : null}
      <PasswordSignInForm callbackUrl={callbackUrl} email={firstParam(params.email)} error={passwordError} canReset={emailLinks} />
      {emailLinks ? (
        <>
          <Divider label="or" />
          <EmailLinkForm callbackUrl={callbackUrl} />
        </>
      ) : null}
    </AuthCard>
  );
}
