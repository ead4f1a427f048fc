import type { ComponentProps, ReactNode } from "react";
import { cx } from "./cx";

/** A bordered card holding a table; scrolls sideways on narrow screens. */
export function Table({ className, children, caption, ...rest }: ComponentProps<"table"> & { caption?: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <table className={cx("min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800", className)} {...rest}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="bg-zinc-50 dark:bg-zinc-900/60">
      <tr>{children}</tr>
    </thead>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>;
}

export function Th({ className, children, ...rest }: ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cx("px-4 py-2.5 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400", className)}
      {...rest}
    >
      {children}
    </th>
  );
}

export function Td({ className, children, ...rest }: ComponentProps<"td">) {
  return (
    <td className={cx("px-4 py-3 align-middle text-zinc-700 dark:text-zinc-300", className)} {...rest}>
      {children}
    </td>
  );
}
