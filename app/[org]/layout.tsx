import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { listOrgs, listProjects, requireUser } from "@/app/_components/data";
import { TopBar } from "@/app/_components/top-bar";

export default async function OrgLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const user = await requireUser(`/${slug}`);
  const orgs = await listOrgs();
  const org = orgs.find((o) => o.slug === slug);
  if (!org) notFound();
  const projects = await listProjects(org.id);
  return (
    <>
      <TopBar user={user} orgs={orgs} projects={projects} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </>
  );
}
