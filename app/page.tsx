import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { CreateOrgButton } from "./_components/create-org-button";
import { listOrgs, requireUser } from "./_components/data";
import { EmptyState } from "./_components/empty-state";
import { LAST_ORG_COOKIE } from "./_components/last-org";
import { TopBar } from "./_components/top-bar";

/** `/`: the organization used last (else the first), sign-in when signed out, or a first-organization prompt. */
export default async function Home() {
  const user = await requireUser("/");
  const orgs = await listOrgs();
  const last = (await cookies()).get(LAST_ORG_COOKIE)?.value;
  const target = orgs.find((o) => o.slug === last) ?? orgs[0];
  if (target) redirect(`/${target.slug}`);
  return (
    <>
      <TopBar user={user} orgs={orgs} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
        <EmptyState
          title="You are not in any organization"
          action={<CreateOrgButton />}
          icon={
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
              <path strokeLinecap="round" strokeLinejoin="round" d="M3 21h18M5 21V7l7-4 7 4v14M9 21v-4h6v4M9 10h.01M15 10h.01M9 13.5h.01M15 13.5h.01" />
            </svg>
          }
        >
          An organization holds your projects (one per MCP server) and the people who can see them. Create one, or open an invitation link a teammate
          sent you.
        </EmptyState>
      </main>
    </>
  );
}
