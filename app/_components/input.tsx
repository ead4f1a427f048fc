import { useId, type ComponentProps, type ReactNode } from "react";
import { cx, focusRing } from "./cx";

const control =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 " +
  "focus:ring-2 focus:ring-inset focus:ring-accent-500 outline-none disabled:cursor-not-allowed disabled:opacity-60 " +
  "dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700 dark:placeholder:text-zinc-500 " +
  "aria-[invalid=true]:ring-red-500 dark:aria-[invalid=true]:ring-red-500";

export function Input({ className, ...rest }: ComponentProps<"input">) {
  return <input className={cx(control, "h-9", className)} {...rest} />;
}

/** A native select (keyboard and screen readers work as usual) with the app's look; `className` sizes it. */
export function Select({ className, children, ...rest }: ComponentProps<"select">) {
  return (
    <div className={cx("relative", className)}>
      <select className={cx(control, "h-9 appearance-none pr-8", focusRing)} {...rest}>
        {children}
      </select>
      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-400">
        <path fillRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" clipRule="evenodd" />
      </svg>
    </div>
  );
}

export interface FieldProps {
  label: ReactNode;
  /** Short help under the control. */
  hint?: ReactNode;
  /** Validation message; marks the control invalid and is announced. */
  error?: ReactNode;
  className?: string;
  /** Renders the control with the generated id and aria attributes. */
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}

/** A label, a control, and its hint or error, wired together for screen readers. */
export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cx("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && !error ? (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
