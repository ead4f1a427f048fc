import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 " +
  "focus:ring-2 focus:ring-inset focus:ring-accent-600 focus:outline-none aria-invalid:ring-red-500 " +
  "dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-700 dark:placeholder:text-zinc-500 dark:focus:ring-accent-400 dark:aria-invalid:ring-red-400";

export const primaryButtonClass =
  "inline-flex h-10 w-full items-center justify-center gap-2 rounded-md bg-accent-600 px-4 text-sm font-medium text-white shadow-sm transition-colors " +
  "hover:bg-accent-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 disabled:opacity-60 " +
  "dark:bg-accent-500 dark:hover:bg-accent-400 dark:focus-visible:outline-accent-400";

export const secondaryButtonClass =
  "inline-flex h-10 w-full items-center justify-center gap-2 rounded-md bg-white px-4 text-sm font-medium text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 transition-colors " +
  "hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 disabled:opacity-60 " +
  "dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800 dark:focus-visible:outline-accent-400";

export const linkClass =
  "font-medium text-accent-700 underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent-600 rounded-sm dark:text-accent-300";

export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="w-full">
      <div className="rounded-xl bg-white p-8 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
        {subtitle ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{subtitle}</p> : null}
        <div className="mt-6 space-y-6">{children}</div>
      </div>
      {footer ? <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">{footer}</p> : null}
    </div>
  );
}

const ALERT_STYLES = {
  error: "bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/50 dark:text-red-200 dark:ring-red-900",
  success: "bg-emerald-50 text-emerald-900 ring-emerald-200 dark:bg-emerald-950/40 dark:text-emerald-200 dark:ring-emerald-900",
  info: "bg-accent-50 text-accent-900 ring-accent-200 dark:bg-accent-900/30 dark:text-accent-100 dark:ring-accent-800",
} as const;

export function Alert({ tone = "error", children, id }: { tone?: keyof typeof ALERT_STYLES; children: ReactNode; id?: string }) {
  const styles = ALERT_STYLES[tone];
  return (
    <div id={id} role={tone === "error" ? "alert" : "status"} className={`rounded-md px-3 py-2 text-sm ring-1 ring-inset ${styles}`}>
      {children}
    </div>
  );
}

export function Divider({ label }: { label: string }) {
  return (
    <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400" role="separator" aria-label={label}>
      <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      {label}
      <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
    </div>
  );
}
