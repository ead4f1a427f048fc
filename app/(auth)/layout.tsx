import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/app/_components/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="flex min-h-dvh flex-col items-center justify-center bg-zinc-50 px-6 py-12 dark:bg-zinc-950">
      <div className="flex w-full max-w-sm flex-col items-center gap-8">
        <Link href="/" aria-label="Tapline home" className="rounded-sm focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-accent-600">
          <Logo />
        </Link>
        {children}
      </div>
    </main>
  );
}
