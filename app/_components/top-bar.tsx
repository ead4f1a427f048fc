"use client";

import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { signOutAction } from "./actions";
import { LAST_ORG_COOKIE } from "./last-org";
import type { OrgSummary, ProjectSummary } from "./api-types";
import { Avatar } from "./avatar";
import { Badge } from "./badge";
import { CreateOrgDialog } from "./create-org-dialog";
import { cx, focusRing } from "./cx";
import { PlusIcon } from "./icons";
import { LogoMark } from "./logo";
import { Menu, type MenuItem } from "./menu";
import { ThemeToggle } from "./theme";

export interface TopBarUser {
  name?: string | null;
  email?: string | null;
}

const chevron = (
  <svg viewBox="0 0 20 20" className="size-4 text-zinc-400" fill="currentColor" aria-hidden>
    <path fillRule="evenodd" d="M10 3a.75.75 0 0 1 .55.24l3.25 3.5a.75.75 0 1 1-1.1 1.02L10 4.85 7.3 7.76a.75.75 0 0 1-1.1-1.02l3.25-3.5A.75.75 0 0 1 10 3Zm-3.76 9.2a.75.75 0 0 1 1.06.04l2.7 2.91 2.7-2.9a.75.75 0 1 1 1.1 1.02l-3.25 3.5a.75.75 0 0 1-1.1 0l-3.25-3.5a.75.75 0 0 1 .04-1.06Z" clipRule="evenodd" />
  </svg>
);

const slash = (
  <svg viewBox="0 0 24 24" className="size-5 shrink-0 text-zinc-300 dark:text-zinc-700" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
    <path d="M16 3 8 21" strokeLinecap="round" />
  </svg>
);

/** Org switcher, project switcher, section links, theme and account menu. */
export function TopBar({ user, orgs, projects }: { user: TopBarUser; orgs: OrgSummary[]; projects?: ProjectSummary[] }) {
  const params = useParams<{ org?: string; project?: string }>();
  const pathname = usePathname();
  const [creatingOrg, setCreatingOrg] = useState(false);
  const [signingOut, startSignOut] = useTransition();

  const org = orgs.find((o) => o.slug === params.org);
  const project = projects?.find((p) => p.slug === params.project);

  // `/` opens the organization used last (app/page.tsx reads this cookie).
  useEffect(() => {
    if (org) document.cookie = `${LAST_ORG_COOKIE}=${encodeURIComponent(org.slug)}; path=/; max-age=31536000; samesite=lax`;
  }, [org]);

  const orgItems: MenuItem[] = [
    { kind: "heading", label: "Organizations" },
    ...orgs.map<MenuItem>((o) => ({
      kind: "link",
      href: `/${o.slug}`,
      label: o.name,
      description: o.role,
      current: o.slug === org?.slug,
      icon: <Avatar name={o.name} className="size-6 rounded-md" />,
    })),
    { kind: "separator" },
    { kind: "action", label: "Create organization", onSelect: () => setCreatingOrg(true), icon: <PlusIcon className="text-zinc-500" /> },
  ];

  const projectItems: MenuItem[] = org
    ? [
        { kind: "heading", label: "Projects" },
        ...(projects ?? []).map<MenuItem>((p) => ({
          kind: "link",
          href: `/${org.slug}/${p.slug}`,
          label: p.name,
          description: p.environment,
          current: p.slug === project?.slug,
        })),
        { kind: "separator" },
        { kind: "link", href: `/${org.slug}?new=project`, label: "New project", icon: <PlusIcon className="text-zinc-500" /> },
        { kind: "link", href: `/${org.slug}`, label: "All projects" },
      ]
    : [];

  const display = user.name || user.email || "Account";
  const accountItems: MenuItem[] = [
    { kind: "link", href: "/account", label: "Account settings" },
    ...(org ? [{ kind: "link", href: `/${org.slug}/settings`, label: "Organization settings" } as MenuItem] : []),
    { kind: "separator" },
    { kind: "action", label: signingOut ? "Signing out…" : "Sign out", onSelect: () => startSignOut(() => signOutAction()) },
  ];

  const links = org
    ? project
      ? [
          { href: `/${org.slug}/${project.slug}`, label: "Overview" },
          { href: `/${org.slug}/${project.slug}/settings`, label: "Settings" },
        ]
      : [
          { href: `/${org.slug}`, label: "Projects" },
          { href: `/${org.slug}/settings`, label: "Settings" },
        ]
    : [];

  return (
    <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/85">
      <div className="mx-auto flex h-14 max-w-6xl min-w-0 items-center gap-1 px-4 sm:px-6">
        <Link href={org ? `/${org.slug}` : "/"} aria-label="Tapline home" className={cx("mr-1 rounded-md", focusRing)}>
          <LogoMark />
        </Link>
        {slash}
        <Menu
          label="Switch organization"
          items={orgItems}
          trigger={
            <>
              {org ? <Avatar name={org.name} className="size-5 rounded text-[10px]" /> : null}
              <span className={cx("max-w-[10rem] truncate", org && "hidden sm:inline")}>{org?.name ?? "Organizations"}</span>
              {chevron}
            </>
          }
        />
        {org ? (
          <>
            {slash}
            <Menu
              label="Switch project"
              items={projectItems}
              trigger={
                <>
                  <span className={cx("max-w-[9rem] truncate sm:max-w-[12rem]", !project && "text-zinc-500 dark:text-zinc-400")}>{project?.name ?? "Select project"}</span>
                  {project ? (
                    <span className="hidden sm:inline">
                      <Badge>{project.environment}</Badge>
                    </span>
                  ) : null}
                  {chevron}
                </>
              }
            />
          </>
        ) : null}
        <nav aria-label="Sections" className="ml-4 hidden items-center gap-1 md:flex">
          {links.map((l) => {
            const active = pathname === l.href;
            return (
              <Link
                key={l.href}
                href={l.href}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "rounded-md px-2.5 py-1.5 text-sm",
                  active
                    ? "bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                    : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
                  focusRing,
                )}
              >
                {l.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <div className="hidden sm:block">
            <ThemeToggle />
          </div>
          <Menu
            label="Account menu"
            align="end"
            items={accountItems}
            header={
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100">{user.name || "Signed in"}</p>
                {user.email ? <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{user.email}</p> : null}
              </div>
            }
            triggerClassName="rounded-full p-0.5"
            trigger={<Avatar name={display} />}
          />
        </div>
      </div>
      <CreateOrgDialog open={creatingOrg} onClose={() => setCreatingOrg(false)} />
    </header>
  );
}
