"use client";
/** Section tabs on the left, range picker and auto refresh on the right; not on the settings page. */
import { usePathname } from "next/navigation";
import { AutoRefresh, RangePicker } from "@/app/_components/range-picker";
import { SectionNav } from "./section-nav";

export function DashboardBar({ base }: { base: string }) {
  const pathname = usePathname();
  if (pathname.startsWith(`${base}/settings`)) return null;
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-x-4 gap-y-2 border-b border-zinc-200 dark:border-zinc-800">
      <SectionNav base={base} />
      <div className="flex items-center gap-2 pb-2">
        <AutoRefresh />
        <RangePicker />
      </div>
    </div>
  );
}
