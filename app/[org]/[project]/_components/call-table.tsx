/** A list of calls (slowest calls, error occurrences): each row opens the call. */
import { timeAgo } from "@/app/_components/format";
import type { CallSummary } from "@/server/analytics";
import { formatBytes, formatMs, formatTime } from "./format";
import { SortableTable } from "./sortable-table";
import { StatusBadge } from "./view";

export function CallTable({
  calls,
  base,
  q,
  caption,
  defaultSort = { key: "duration", dir: "desc" },
  showError = false,
}: {
  calls: CallSummary[];
  base: string;
  q: string;
  caption: string;
  defaultSort?: { key: string; dir: "asc" | "desc" };
  showError?: boolean;
}) {
  return (
    <SortableTable
      caption={caption}
      defaultSort={defaultSort}
      columns={[
        { key: "call", label: "Call" },
        { key: "duration", label: "Duration", align: "right" },
        { key: "status", label: "Status" },
        ...(showError ? [{ key: "error", label: "Error" }] : []),
        { key: "client", label: "Client" },
        { key: "session", label: "Session" },
        { key: "sizes", label: "In / out", align: "right" as const },
        { key: "time", label: "When" },
      ]}
      rows={calls.map((c) => ({
        id: c.id,
        href: `${base}/calls/${c.id}${q}`,
        cells: {
          call: {
            value: c.target ?? c.method,
            display: (
              <span className="font-mono text-xs">
                {c.target ?? c.method}
                {c.target ? <span className="ml-1.5 text-zinc-400">{c.method}</span> : null}
              </span>
            ),
          },
          duration: { value: c.durationMs, display: <span className="font-medium">{formatMs(c.durationMs)}</span> },
          status: { value: c.status, display: <StatusBadge status={c.status} /> },
          error: {
            value: c.errorMessage,
            display: (
              <span className="line-clamp-1 max-w-xs text-xs text-zinc-600 dark:text-zinc-400" title={c.errorMessage ?? undefined}>
                {c.errorCode !== null ? <span className="font-mono">{c.errorCode} </span> : null}
                {c.errorMessage ?? "—"}
              </span>
            ),
          },
          client: { value: c.clientName, display: c.clientName ? `${c.clientName}${c.clientVersion ? ` ${c.clientVersion}` : ""}` : "unknown" },
          session: { value: c.sessionId, display: c.sessionId ? <span className="font-mono text-xs">{c.sessionId.slice(0, 12)}</span> : "—" },
          sizes: { value: c.bytesOut, display: <span className="text-xs">{formatBytes(c.bytesIn)} / {formatBytes(c.bytesOut)}</span> },
          time: { value: c.ts.getTime(), display: <span title={formatTime(c.ts)}>{timeAgo(c.ts)}</span> },
        },
      }))}
    />
  );
}
