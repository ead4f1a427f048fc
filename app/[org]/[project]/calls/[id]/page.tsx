import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { CodeBlock } from "@/app/_components/code-block";
import { cx } from "@/app/_components/cx";
import { formatBytes, formatMs, formatTime } from "../../_components/format";
import { linkClass, load, NoData, Panel, projectView, StatusBadge, ViewError, ViewHeader, type ViewParams } from "../../_components/view";
import { retentionRange, type SearchParams, segment } from "../../_components/view-params";

export const metadata: Metadata = { title: "Call" };

type Params = Promise<{ org: string; project: string; id: string }>;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 py-2 text-sm">
      <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="col-span-2 text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

export default async function CallPage({ params, searchParams }: { params: Params; searchParams: Promise<SearchParams> }) {
  const id = segment((await params).id);
  const v = await projectView(params as ViewParams, searchParams);
  const res = await load(`${v.base}/calls/${id}`, () => v.api.analytics.callDetail({ projectId: v.project.id, range: retentionRange(), id }));
  if (!res.ok) return <ViewError what="this call" message={res.message} />;
  const c = res.data;
  if (!c) {
    return (
      <NoData title="Call not found" base={v.base} firstEventAt={v.project.firstEventAt}>
        No call with id <code className="font-mono text-xs">{id}</code> in this project in the last 90 days (raw events are kept that long).
      </NoData>
    );
  }
  const link = linkClass;
  const name = c.target ?? c.method;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-zinc-500 dark:text-zinc-400">
        <Link href={`${v.base}/slow${v.q}`} className={link}>
          Slow calls
        </Link>
        {c.method === "tools/call" && c.target ? (
          <>
            {" "}
            /{" "}
            <Link href={`${v.base}/tools/${encodeURIComponent(c.target)}${v.q}`} className={cx(link, "font-mono")}>
              {c.target}
            </Link>
          </>
        ) : null}{" "}
        / call
      </nav>
      <ViewHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{name}</span> <StatusBadge status={c.status} />
          </span>
        }
        description={
          <>
            <span className="font-semibold text-zinc-900 dark:text-zinc-100" data-testid="call-duration">
              {formatMs(c.durationMs)}
            </span>{" "}
            · {c.method} · started {formatTime(c.tsIso)}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="Timing">
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Started">{c.tsIso.replace("T", " ").replace("Z", " UTC")}</Row>
            <Row label="Duration">{formatMs(c.durationMs)}</Row>
            <Row label="Offset in session">{c.sessionOffsetMs === null ? "—" : `+${formatMs(c.sessionOffsetMs)}`}</Row>
            <Row label="Received by Tapline">{formatTime(c.receivedAt)}</Row>
          </dl>
        </Panel>
        <Panel title="Context">
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Tool / target">
              {c.method === "tools/call" && c.target ? (
                <Link href={`${v.base}/tools/${encodeURIComponent(c.target)}${v.q}`} className={cx(link, "font-mono")}>
                  {c.target}
                </Link>
              ) : (
                <span className="font-mono">{c.target ?? "—"}</span>
              )}
            </Row>
            <Row label="Client">{c.clientName ? `${c.clientName} ${c.clientVersion ?? ""}` : "unknown"}</Row>
            <Row label="Session">
              {c.sessionId ? (
                <Link href={`${v.base}/sessions/${encodeURIComponent(c.sessionId)}${v.q}#call-${c.id}`} className={cx(link, "font-mono text-xs")}>
                  {c.sessionId}
                </Link>
              ) : (
                "—"
              )}
            </Row>
            <Row label="Server">
              <span className="font-mono text-xs">{c.serverId}</span> · {c.transport}
            </Row>
          </dl>
        </Panel>
        <Panel title="Sizes and protocol">
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Request">{formatBytes(c.bytesIn)}</Row>
            <Row label="Response">{formatBytes(c.bytesOut)}</Row>
            <Row label="JSON-RPC id">
              <span className="font-mono text-xs">{c.rpcId ?? "—"}</span>
            </Row>
            <Row label="HTTP status">{c.httpStatus ?? "—"}</Row>
          </dl>
        </Panel>
        <Panel title="Outcome">
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Status">
              <StatusBadge status={c.status} />
            </Row>
            <Row label="Error code">{c.errorCode ?? "—"}</Row>
            <Row label="Error message">{c.errorMessage ?? "—"}</Row>
          </dl>
        </Panel>
      </div>
      <Panel title="Payload" description="Redacted request parameters and response, when the agent captures payloads">
        {c.payload ? (
          <CodeBlock code={JSON.stringify(c.payload, null, 2)} label="Captured payload (JSON)" />
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            Not captured. The agent records metadata only unless payload capture is turned on (see the agent&apos;s <code className="font-mono text-xs">--capture-payloads</code> option).
          </p>
        )}
      </Panel>
    </div>
  );
}
