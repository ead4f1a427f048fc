import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/_components/actions";
import { Badge } from "@/app/_components/badge";
import { Button, buttonClass } from "@/app/_components/button";
import { listOrgs, SIGN_IN_PATH } from "@/app/_components/data";
import { ErrorState } from "@/app/_components/error-state";
import { isoMinute } from "@/app/_components/format";
import { Logo } from "@/app/_components/logo";
import { ROLE_DESCRIPTIONS } from "@/app/_components/roles";
import { auth } from "@/server/auth/auth";
import { serverApi } from "@/server/trpc/server";
import { AcceptInvitation } from "./accept-invitation";

export const metadata: Metadata = { title: "Invitation" };

const SIGN_UP_PATH = "/signup";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const path = `/invite/${encodeURIComponent(token)}`;
  let preview;
  try {
    preview = await (await serverApi()).invitation.preview({ token });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") {
      return (
        <Shell>
          <ErrorState title="This invitation link is not valid" action={<Link href="/" className={buttonClass("secondary")}>Go to Tapline</Link>}>
            Check that you copied the whole link, or ask whoever invited you for a new one.
          </ErrorState>
        </Shell>
      );
    }
    throw e;
  }
  const session = await auth();
  const signedInAs = session?.user?.email ?? null;
  const wrongAccount = signedInAs !== null && signedInAs.toLowerCase() !== preview.email.toLowerCase();
  const unusable = preview.status !== "pending";
  // Signing in through a provider with the invited address accepts the invitation at once:
  // then the link's owner is already a member, and the page leads into the organization.
  const joinedOrg =
    preview.status === "accepted" && signedInAs !== null && !wrongAccount ? (await listOrgs()).find((o) => o.name === preview.orgName) : undefined;

  return (
    <Shell>
      <div className="rounded-xl bg-white p-8 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{preview.inviter ? `${preview.inviter} invited you to join` : "You are invited to join"}</p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{preview.orgName}</h1>
        <dl className="mt-6 grid grid-cols-[6rem_1fr] gap-y-2 text-sm">
          <dt className="text-zinc-500 dark:text-zinc-400">For</dt>
          <dd className="font-medium text-zinc-900 dark:text-zinc-100">{preview.email}</dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Role</dt>
          <dd>
            <Badge tone="accent">{preview.role}</Badge>
            <span className="mt-1 block text-xs text-zinc-500 dark:text-zinc-400">{ROLE_DESCRIPTIONS[preview.role]}</span>
          </dd>
          <dt className="text-zinc-500 dark:text-zinc-400">Expires</dt>
          <dd className="text-zinc-700 dark:text-zinc-300">{isoMinute(preview.expiresAt)}</dd>
        </dl>
        <div className="mt-8">
          {joinedOrg ? (
            <div className="space-y-3">
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                You are a member of {joinedOrg.name} as <strong className="font-medium">{joinedOrg.role}</strong>.
              </p>
              <Link href={`/${joinedOrg.slug}`} className={buttonClass("primary", "md", "w-full")}>
                Go to {joinedOrg.name}
              </Link>
            </div>
          ) : unusable ? (
            <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
              {preview.status === "accepted"
                ? "This invitation was already accepted."
                : preview.status === "revoked"
                  ? "This invitation was revoked. Ask for a new one."
                  : "This invitation has expired. Ask for a new one."}
            </p>
          ) : !signedInAs ? (
            <div className="space-y-3">
              <p className="text-sm text-zinc-600 dark:text-zinc-400">Sign in, or create an account with {preview.email}, to accept.</p>
              <div className="flex flex-wrap gap-2">
                <Link href={`${SIGN_IN_PATH}?callbackUrl=${encodeURIComponent(path)}`} className={buttonClass("primary")}>
                  Sign in to accept
                </Link>
                <Link href={`${SIGN_UP_PATH}?callbackUrl=${encodeURIComponent(path)}&email=${encodeURIComponent(preview.email)}`} className={buttonClass("secondary")}>
                  Create account
                </Link>
              </div>
            </div>
          ) : wrongAccount ? (
            <div className="space-y-3">
              <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">
                You are signed in as <strong>{signedInAs}</strong>, but this invitation is for <strong>{preview.email}</strong>. Sign out and sign in with that
                address.
              </p>
              <form action={signOutAction}>
                <Button type="submit" variant="secondary">
                  Sign out
                </Button>
              </form>
            </div>
          ) : (
            <AcceptInvitation token={token} orgName={preview.orgName} />
          )}
        </div>
      </div>
    </Shell>
  );
}

function Shell({ children }: { children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-8 px-6 py-12">
      <Link href="/" aria-label="Tapline home" className="self-center">
        <Logo />
      </Link>
      {children}
    </main>
  );
}
