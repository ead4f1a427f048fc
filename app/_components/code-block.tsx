import { CopyButton } from "./copy-button";
import { cx } from "./cx";

/** A command or config snippet with a copy button; the copied text is exactly what is shown. */
export function CodeBlock({ code, label, className }: { code: string; label: string; className?: string }) {
  return (
    <div className={cx("overflow-hidden rounded-lg bg-zinc-950 ring-1 ring-zinc-800", className)}>
      <div className="flex items-center justify-between border-b border-zinc-800 px-3 py-1.5">
        <span className="text-xs font-medium text-zinc-400">{label}</span>
        <CopyButton value={code} variant="inverse" size="sm" />
      </div>
      <pre className="overflow-x-auto p-4 text-[13px] leading-relaxed text-zinc-100">
        <code className="font-mono">{code}</code>
      </pre>
    </div>
  );
}
