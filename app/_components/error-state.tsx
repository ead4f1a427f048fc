import type { ReactNode } from "react";
import { cx } from "./cx";

export interface ErrorStateProps {
  title?: ReactNode;
  children?: ReactNode;
  /** e.g. a "Try again" button or a link home. */
  action?: ReactNode;
  /** Digest or code to quote when reporting the problem. */
  reference?: string;
  className?: string;
}

/** A failure the user can act on: what went wrong, and what to do next. */
export function ErrorState({ title = "Something went wrong", children, action, reference, className }: ErrorStateProps) {
  return (
    <div
      role="alert"
      className={cx(
        "flex flex-col items-center rounded-xl border border-red-200 bg-red-50/60 px-6 py-12 text-center",
        "dark:border-red-900/60 dark:bg-red-950/20",
        className,
      )}
    >
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-red-100 text-red-600 dark:bg-red-900/40 dark:text-red-300">
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden>
          <path strokeLinecap="round" strokeLinejoin="round" d="M12 9v4m0 4h.01M10.29 3.86 1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0Z" />
        </svg>
      </div>
      <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
      {children ? <div className="mt-2 max-w-lg text-sm text-zinc-600 dark:text-zinc-400">{children}</div> : null}
      {reference ? <p className="mt-3 font-mono text-xs text-zinc-500">Reference: {reference}</p> : null}
      {action ? <div className="mt-6 flex flex-wrap justify-center gap-2">{action}</div> : null}
    </div>
  );
}
