import type { Metadata } from "next";
import { projectBySlug } from "@/app/_components/data";
import { Badge } from "@/app/_components/badge";
import { EmptyState } from "@/app/_components/empty-state";
import { isoMinute, timeAgo } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { canCreateKeys } from "@/app/_components/roles";
import { env } from "@/server/env";
import { OnboardingPanel } from "./_components/onboarding-panel";
import { ProjectOverview } from "./_components/overview";
import type { SearchParams } from "./_components/view-params";

type Params = Promise<{ org: string; project: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { org, project } = await params;
  const found = await projectBySlug(org, project);
  return { title: `${found.project.name} · ${found.org.name}` };
}

export default async function ProjectOverviewPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const { org: orgSlug, project: projectSlug } = await params;
  const { org, project } = await projectBySlug(orgSlug, projectSlug);
  // Live projects get the dashboard; until the first call, the onboarding panel and a preview.
  if (project.firstEventAt) return <ProjectOverview params={params} searchParams={searchParams} />;

  return (
    <div className="space-y-8">
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {project.name} <Badge>{project.environment}</Badge>
          </span>
        }
        description={
          <>
            Created <span title={isoMinute(project.createdAt)}>{timeAgo(project.createdAt)}</span>. No calls recorded yet.
          </>
        }
      />
      <OnboardingPanel
        projectId={project.id}
        projectSlug={project.slug}
        cloudUrl={env().APP_URL.replace(/\/$/, "")}
        canCreateKey={canCreateKeys(org.role)}
        activeKeyCount={project.activeKeyCount}
        settingsHref={`/${org.slug}/${project.slug}/settings`}
      />
      <section aria-labelledby="overview-title" className="space-y-4">
        <h2 id="overview-title" className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          Overview
        </h2>
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          {["Calls", "Error rate", "p95 latency", "Clients"].map((label) => (
            <div key={label} className="rounded-xl bg-white p-5 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
              <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</p>
              <p className="mt-2 text-2xl font-semibold text-zinc-300 dark:text-zinc-700">—</p>
            </div>
          ))}
        </div>
        <EmptyState
          title="Charts appear with the first call"
          icon={
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
              <path strokeLinecap="round" strokeLinejoin="round" d="M3 3v18h18M7 15l4-4 3 3 5-6" />
            </svg>
          }
        >
          Once the agent sends its first record, this page shows calls per minute, latency percentiles, errors, and the slowest tools.
          <div className="mx-auto mt-6 grid max-w-md grid-cols-6 items-end gap-2" aria-hidden>
            {[30, 55, 40, 70, 50, 85].map((h, i) => (
              <div key={i} className="rounded-t bg-zinc-200 dark:bg-zinc-800" style={{ height: h }} />
            ))}
          </div>
        </EmptyState>
      </section>
    </div>
  );
}
