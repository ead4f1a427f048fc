"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button, buttonClass } from "./button";
import { ErrorState } from "./error-state";

/** Body of every error.tsx boundary: what happened, "Try again", and a way home. */
export function RouteError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  // In production Next.js replaces server errors' messages; only show one that is meant for users.
  const message = error.digest ? "The server could not load this page. It has been logged; trying again often helps." : error.message;
  return (
    <ErrorState
      title="This page could not be loaded"
      reference={error.digest}
      action={
        <>
          <Button onClick={reset}>Try again</Button>
          <Link href="/" className={buttonClass("secondary")}>
            Go home
          </Link>
        </>
      }
    >
      {message}
    </ErrorState>
  );
}
