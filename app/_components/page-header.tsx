import type { ReactNode } from "react";
import { cx } from "./cx";

/** Title row of a page: heading, one line of context, and the page's main actions. */
export function PageHeader({ title, description, actions, className }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <div className={cx("flex flex-wrap items-end justify-between gap-4", className)}>
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

/** A settings block: title and explanation on the left (wide screens), content on the right. */
export function Section({
  title,
  description,
  children,
  danger,
  id,
  actions,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  danger?: boolean;
  id?: string;
  actions?: ReactNode;
}) {
  return (
    <section
      id={id}
      aria-labelledby={id ? `${id}-title` : undefined}
      className={cx(
        "rounded-xl bg-white ring-1 dark:bg-zinc-900",
        danger ? "ring-red-200 dark:ring-red-900/60" : "ring-zinc-200 dark:ring-zinc-800",
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4 dark:border-zinc-800">
        <div>
          <h2 id={id ? `${id}-title` : undefined} className={cx("text-sm font-semibold", danger ? "text-red-700 dark:text-red-400" : "text-zinc-900 dark:text-zinc-100")}>
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">{description}</p> : null}
        </div>
        {actions ? <div className="flex gap-2">{actions}</div> : null}
      </div>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

/** One action in a danger zone: what it does on the left, its button on the right. */
export function DangerRow({ title, text, action }: { title?: ReactNode; text: ReactNode; action: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-4 py-3 first:pt-0 last:pb-0">
      <div>
        {title ? <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">{title}</p> : null}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{text}</p>
      </div>
      {action}
    </div>
  );
}
