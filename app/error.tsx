"use client";

import { Logo } from "./_components/logo";
import { RouteError } from "./_components/route-error";

export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-xl flex-col justify-center gap-8 px-6">
      <Logo />
      <RouteError error={error} reset={reset} />
    </main>
  );
}
