import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "../../_components/forms";
import { AuthCard, linkClass } from "../../_components/ui";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <AuthCard
      title="Choose a new password"
      footer={
        <Link href="/reset" className={linkClass}>
          Ask for a new link
        </Link>
      }
    >
      <ResetPasswordForm token={decodeURIComponent(token)} />
    </AuthCard>
  );
}
