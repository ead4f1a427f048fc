/**
 * Shared pieces of the dashboard views (server components): resolving the project and the URL's
 * range, loading a view with a message that says what failed, and the small building blocks
 * (panels, stat cards, badges, empty states that explain how to connect the agent).
 */
import { TRPCError } from "@trpc/server";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/app/_components/badge";
import { buttonClass } from "@/app/_components/button";
import { cx, focusRing } from "@/app/_components/cx";
import { projectBySlug, signInUrl } from "@/app/_components/data";
import { EmptyState } from "@/app/_components/empty-state";
import { ErrorState } from "@/app/_components/error-state";
import { serverApi } from "@/server/trpc/server";
import { describeRange, keepParams, rangeFromParams, thresholdsFromParams, type SearchParams } from "./view-params";

/** An in-text link of the dashboard (breadcrumbs, tool and session names). */
export const linkClass = cx("font-medium text-accent-700 hover:underline dark:text-accent-300", focusRing);

export type ViewParams = Promise<{ org: string; project: string }>;

/** Everything a view page needs from its URL. */
export async function projectView(params: ViewParams, searchParams: Promise<SearchParams>) {
  const { org: orgSlug, project: projectSlug } = await params;
  const sp = await searchParams;
  const { org, project } = await projectBySlug(orgSlug, projectSlug);
  const range = rangeFromParams(sp);
  return {
    org,
    project,
    sp,
    range,
    rangeLabel: describeRange(range),
    thresholds: thresholdsFromParams(sp),
    base: `/${org.slug}/${project.slug}`,
    /** `?range=…` etc. to append to links to other views. */
    q: keepParams(sp),
    api: await serverApi(),
  };
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string };

/**
 * Runs a view's query. A lapsed session goes to sign-in and a hidden project is a 404, as on
 * every page; a rejected input (bad custom range, stale cursor) or a failed query becomes a
 * message that the page shows in place of the view.
 */
export async function load<T>(callbackPath: string, fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    if (e instanceof TRPCError) {
      if (e.code === "UNAUTHORIZED") redirect(signInUrl(callbackPath));
      if (e.code === "NOT_FOUND") notFound();
      if (e.code === "BAD_REQUEST") return { ok: false, message: e.message };
    }
    console.error(e);
    return { ok: false, message: "The database did not answer this query. It has been logged; try again, or pick a shorter range." };
  }
}

export function ViewError({ what, message }: { what: string; message: string }) {
  return (
    <ErrorState title={`Could not load ${what}`} action={<a href="?" className={buttonClass("secondary")}>Reset the range</a>}>
      {message}
    </ErrorState>
  );
}

/** What an empty view says: nothing in this range, or nothing ever — then how to connect. */
export function NoData({ title, children, base, firstEventAt }: { title: string; children?: ReactNode; base: string; firstEventAt: Date | null }) {
  return (
    <EmptyState
      title={firstEventAt ? title : "No calls recorded yet"}
      icon={
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
          <path strokeLinecap="round" strokeLinejoin="round" d="M3 3v18h18M7 15l4-4 3 3 5-6" />
        </svg>
      }
      action={
        firstEventAt ? null : (
          <Link href={base} className={buttonClass("primary")}>
            Connect your MCP server
          </Link>
        )
      }
    >
      {firstEventAt ? (
        children
      ) : (
        <>
          Put the agent in front of your MCP server — <code className="font-mono text-xs">npx tapline http --remote-url … --api-key …</code> — and point your
          MCP client at it. The project page shows the exact command with an API key.
        </>
      )}
    </EmptyState>
  );
}

export function Panel({ title, description, children, actions, className }: { title: ReactNode; description?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={["rounded-xl bg-white p-5 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800", className].filter(Boolean).join(" ")}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
          {description ? <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{description}</p> : null}
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function StatCard({ label, value, hint, delta, tone }: { label: string; value: string; hint?: ReactNode; delta?: string | null; tone?: "good" | "bad" | "neutral" }) {
  return (
    <div className="rounded-xl bg-white p-5 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <p className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</p>
      <p className="mt-2 text-2xl font-semibold text-zinc-900 tabular-nums dark:text-zinc-50" data-stat={label}>
        {value}
      </p>
      {delta || hint ? (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          {delta ? (
            <span
              className={
                tone === "bad" ? "font-medium text-red-600 dark:text-red-400" : tone === "good" ? "font-medium text-emerald-600 dark:text-emerald-400" : "font-medium"
              }
            >
              {delta}
            </span>
          ) : null}{" "}
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const HEALTH_TONE: Record<string, BadgeTone> = { healthy: "success", degraded: "warning", failing: "danger" };

export function HealthBadge({ health }: { health: string }) {
  return <Badge tone={HEALTH_TONE[health] ?? "neutral"}>{health}</Badge>;
}

const STATUS_LABEL: Record<string, string> = {
  ok: "ok",
  tool_error: "tool error",
  rpc_error: "RPC error",
  transport_error: "transport error",
  timeout: "timeout",
  cancelled: "cancelled",
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={status === "ok" ? "success" : status === "cancelled" ? "neutral" : "danger"}>{STATUS_LABEL[status] ?? status}</Badge>;
}

export function statusLabel(status: string): string {
  return STATUS_LABEL[status] ?? status;
}

export function ViewHeader({
  title,
  description,
  actions,
  approximate,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** Percentiles come from rollup sketches: say so, once, next to the description. */
  approximate?: boolean;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
        {approximate ? (
          <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400" title="Ranges over 6 hours are read from hourly and daily rollups. Counts, rates, maxima and sizes are exact.">
            Percentiles ≈ within 2 % (from rollups)
          </p>
        ) : null}
      </div>
      {actions}
    </div>
  );
}

/** Keyset pagination links: back to the first page (when not on it) and the next page (when there is one). */
export function Pager({ first, next }: { first: string | null; next: string | null }) {
  if (!first && !next) return null;
  return (
    <div className="flex justify-end gap-2">
      {first ? (
        <Link href={first} className={buttonClass("secondary", "sm")}>
          First page
        </Link>
      ) : null}
      {next ? (
        <Link href={next} className={buttonClass("secondary", "sm")}>
          Next page
        </Link>
      ) : null}
    </div>
  );
}
