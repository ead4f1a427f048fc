"use client";
/** The project's dashboard sections; links keep the range and thresholds of the current URL. */
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { cx, focusRing } from "@/app/_components/cx";

const SECTIONS = [
  ["", "Overview"],
  ["/tools", "Tools"],
  ["/slow", "Slow calls"],
  ["/errors", "Errors"],
  ["/sessions", "Sessions"],
  ["/clients", "Clients"],
  ["/schema", "Schema"],
] as const;

const KEPT = ["range", "from", "to", "deg_err", "deg_p95", "fail_err", "fail_p95"];

export function SectionNav({ base }: { base: string }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const q = new URLSearchParams();
  for (const k of KEPT) {
    const v = params.get(k);
    if (v) q.set(k, v);
  }
  const suffix = q.toString() ? `?${q.toString()}` : "";
  const sectionOf = (path: string) => {
    const rest = path.slice(base.length);
    if (rest.startsWith("/calls")) return "/slow";
    for (const [s] of SECTIONS) if (s && (rest === s || rest.startsWith(`${s}/`))) return s;
    return "";
  };
  const current = sectionOf(pathname);
  return (
    <nav aria-label="Dashboard sections" className="-mb-px flex gap-1 overflow-x-auto">
      {SECTIONS.map(([path, label]) => {
        const active = current === path;
        return (
          <Link
            key={path}
            href={`${base}${path}${suffix}`}
            aria-current={active ? "page" : undefined}
            className={cx(
              "border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors",
              active
                ? "border-accent-600 text-zinc-900 dark:border-accent-400 dark:text-zinc-50"
                : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-200",
              focusRing,
            )}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
