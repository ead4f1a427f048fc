import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard, linkClass } from "../../_components/ui";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <AuthCard title="Check your email" subtitle="We sent you a sign-in link. It works once and expires in 24 hours.">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No email? Check your spam folder, or{" "}
        <Link href="/signin" className={linkClass}>
          try again
        </Link>
        .
      </p>
    </AuthCard>
  );
}
