import { cx } from "./cx";

export function LogoMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={cx("size-7", className)} aria-hidden>
      <rect width="32" height="32" rx="8" className="fill-accent-600 dark:fill-accent-500" />
      <path d="M8 11h16M16 11v12" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
      <circle cx="23" cy="21" r="2.6" className="fill-accent-200" />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cx("inline-flex items-center gap-2 font-semibold tracking-tight text-zinc-900 dark:text-zinc-50", className)}>
      <LogoMark />
      <span>Tapline</span>
    </span>
  );
}
