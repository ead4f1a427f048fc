import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "./_components/button";
import { Logo } from "./_components/logo";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center px-6 text-center">
      <Link href="/" aria-label="Tapline home">
        <Logo />
      </Link>
      <p className="mt-10 font-mono text-sm font-medium text-accent-600 dark:text-accent-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">This page does not exist, or you cannot see it</h1>
      <p className="mt-3 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
        The organization or project may have been renamed or deleted, or you are not a member. If someone sent you this link, ask them to invite you.
      </p>
      <div className="mt-8 flex gap-2">
        <Link href="/" className={buttonClass("primary")}>
          Go to my projects
        </Link>
        <Link href="/account" className={buttonClass("secondary")}>
          Account
        </Link>
      </div>
    </main>
  );
}
