import { Suspense, type ReactNode } from "react";
import { projectBySlug } from "@/app/_components/data";
import { DashboardBar } from "./_components/dashboard-bar";

/**
 * Resolves the project before anything streams, so an unknown project slug answers 404
 * (the lookup is cached for the request: the pages below reuse it). Once the project receives
 * calls, its dashboard sections, range picker and auto refresh sit above every view.
 */
export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string; project: string }> }) {
  const { org, project } = await params;
  const found = await projectBySlug(org, project);
  return (
    <>
      {found.project.firstEventAt ? (
        <Suspense fallback={<div className="mb-6 h-10 border-b border-zinc-200 dark:border-zinc-800" />}>
          <DashboardBar base={`/${found.org.slug}/${found.project.slug}`} />
        </Suspense>
      ) : null}
      {children}
    </>
  );
}
