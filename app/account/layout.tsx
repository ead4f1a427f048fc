import type { ReactNode } from "react";
import { listOrgs, requireUser } from "@/app/_components/data";
import { TopBar } from "@/app/_components/top-bar";

export default async function AccountLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("/account");
  const orgs = await listOrgs();
  return (
    <>
      <TopBar user={user} orgs={orgs} />
      <main id="main" className="mx-auto max-w-3xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </>
  );
}
