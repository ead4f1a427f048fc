import type { Metadata } from "next";
import Link from "next/link";
import { env } from "@/server/env";
import { RequestResetForm } from "../_components/forms";
import { Alert, AuthCard, linkClass } from "../_components/ui";

export const metadata: Metadata = { title: "Reset password" };
export const dynamic = "force-dynamic";

export default function RequestResetPage() {
  const enabled = Boolean(env().SMTP_URL);
  return (
    <AuthCard
      title="Reset your password"
      subtitle={enabled ? "Enter your account's email and we'll send you a link to choose a new password." : undefined}
      footer={
        <Link href="/signin" className={linkClass}>
          Back to sign in
        </Link>
      }
    >
      {enabled ? (
        <RequestResetForm />
      ) : (
        <Alert tone="info">
          Password reset by email is not set up on this Tapline (no SMTP server configured). Ask an administrator, or sign in another way.
        </Alert>
      )}
    </AuthCard>
  );
}
