import type { Metadata } from "next";
import Link from "next/link";
import { orgBySlug, listProjects } from "@/app/_components/data";
import { Badge } from "@/app/_components/badge";
import { EmptyState } from "@/app/_components/empty-state";
import { timeAgo, isoMinute } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { cx, focusRing } from "@/app/_components/cx";
import { canManageProjects } from "@/app/_components/roles";
import { CreateProjectButton } from "./_components/create-project";
import { ProjectHealthLine } from "./_components/project-health";
import { RangePicker } from "@/app/_components/range-picker";
import { serverApi } from "@/server/trpc/server";
import { describeRange, keepParams, rangeFromParams, thresholdsFromParams, type SearchParams } from "./[project]/_components/view-params";
import { Suspense } from "react";

export async function generateMetadata({ params }: { params: Promise<{ org: string }> }): Promise<Metadata> {
  const org = await orgBySlug((await params).org);
  return { title: `Projects · ${org.name}` };
}

export default async function ProjectsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org: slug } = await params;
  const sp = await searchParams;
  const openCreate = sp.new === "project";
  const org = await orgBySlug(slug);
  const projects = await listProjects(org.id);
  const range = rangeFromParams(sp);
  const rangeLabel = describeRange(range);
  const q = keepParams(sp);
  // The health summary is a bonus on this page: if it fails, the project list still shows.
  const summary = projects.some((p) => p.firstEventAt)
    ? await (await serverApi()).analytics.organization({ orgId: org.id, range, thresholds: thresholdsFromParams(sp) }).catch((e: unknown) => {
        console.error(e);
        return null;
      })
    : null;
  const healthById = new Map((summary?.projects ?? []).map((p) => [p.id, p.health]));
  const canCreate = canManageProjects(org.role);
  const createButton = canCreate ? <CreateProjectButton orgId={org.id} orgSlug={org.slug} initiallyOpen={openCreate} /> : null;

  return (
    <div className="space-y-8">
      <PageHeader
        title="Projects"
        description={`Each project is one MCP server that ${org.name} watches with Tapline.${summary ? ` Health over ${rangeLabel}.` : ""}`}
        actions={
          projects.length ? (
            <div className="flex flex-wrap items-center gap-3">
              {summary ? (
                <Suspense>
                  <RangePicker />
                </Suspense>
              ) : null}
              {createButton}
            </div>
          ) : null
        }
      />
      {projects.length === 0 ? (
        <EmptyState
          icon={<ServerIcon />}
          title="Create your first project"
          action={createButton ?? <p className="text-sm text-zinc-500">Ask an owner or admin of {org.name} to create one: your role is {org.role}.</p>}
        >
          <p>
            A <strong className="font-medium text-zinc-800 dark:text-zinc-200">project</strong> is one MCP server you want to watch, in one environment
            (production, staging…). Tapline records every tool call it serves — latency, errors, which client called — without slowing it down.
          </p>
          <ol className="mx-auto mt-5 grid max-w-xl gap-3 text-left sm:grid-cols-3">
            {[
              ["Create a project", "Name the MCP server you want to watch."],
              ["Get an API key", "Shown once; the agent sends records with it."],
              ["Run the agent", <>Put <code className="font-mono text-xs">npx tapline</code> in front of your server.</>],
            ].map(([title, text], i) => (
              <li key={i} className="rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
                <span className="flex size-6 items-center justify-center rounded-full bg-accent-600 text-xs font-semibold text-white">{i + 1}</span>
                <p className="mt-2 text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</p>
                <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{text}</p>
              </li>
            ))}
          </ol>
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Projects">
          {projects.map((p) => (
            <li key={p.id}>
              <Link
                href={`/${org.slug}/${p.slug}${p.firstEventAt ? q : ""}`}
                className={cx(
                  "group block h-full rounded-xl bg-white p-5 ring-1 ring-zinc-200 transition hover:shadow-md hover:ring-zinc-300",
                  "dark:bg-zinc-900 dark:ring-zinc-800 dark:hover:ring-zinc-700",
                  focusRing,
                )}
              >
                <div className="flex items-start justify-between gap-3">
                  <h2 className="truncate font-medium text-zinc-900 group-hover:text-accent-700 dark:text-zinc-100 dark:group-hover:text-accent-300">{p.name}</h2>
                  <Badge>{p.environment}</Badge>
                </div>
                <p className="mt-1 font-mono text-xs text-zinc-500 dark:text-zinc-400">{p.slug}</p>
                {p.firstEventAt && healthById.get(p.id) ? <ProjectHealthLine health={healthById.get(p.id)!} rangeLabel={rangeLabel} /> : null}
                <div className="mt-6 flex items-center justify-between text-xs">
                  {p.firstEventAt ? (
                    <span className="inline-flex items-center gap-1.5 text-emerald-700 dark:text-emerald-400">
                      <span className="size-2 rounded-full bg-emerald-500" aria-hidden /> Receiving calls
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-1.5 text-amber-700 dark:text-amber-400">
                      <span className="size-2 animate-pulse rounded-full bg-amber-500" aria-hidden /> Waiting for first call
                    </span>
                  )}
                  <span className="text-zinc-500 dark:text-zinc-400" title={isoMinute(p.createdAt)}>
                    Created {timeAgo(p.createdAt)}
                  </span>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ServerIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
      <rect x="3" y="4" width="18" height="7" rx="1.5" />
      <rect x="3" y="13" width="18" height="7" rx="1.5" />
      <path strokeLinecap="round" d="M7 7.5h.01M7 16.5h.01M11 7.5h6M11 16.5h6" />
    </svg>
  );
}
