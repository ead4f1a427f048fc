import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { cx } from "@/app/_components/cx";
import { timeAgo } from "@/app/_components/format";
import type { SchemaItem } from "@/server/analytics";
import { formatTime } from "../_components/format";
import { linkClass, load, NoData, Panel, projectView, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import type { SearchParams } from "../_components/view-params";

export const metadata: Metadata = { title: "Schema" };

const KIND_LABEL: Record<string, string> = { tools: "Tools", resources: "Resources", prompts: "Prompts", resource_templates: "Resource templates" };

function itemName(kind: string, item: SchemaItem): string {
  const key = kind === "resources" ? item.uri : kind === "resource_templates" ? item.uriTemplate : item.name;
  return typeof key === "string" ? key : "?";
}

function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2) ?? "undefined";
}

export default async function SchemaPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const res = await load(`${v.base}/schema`, () => v.api.analytics.schema({ projectId: v.project.id, range: v.range }));
  if (!res.ok) return <ViewError what="the schema" message={res.message} />;
  const { current, changes } = res.data;
  const link = linkClass;

  return (
    <div className="space-y-6">
      <ViewHeader title="Schema" description="What the server declares (its latest tools/list, resources/list and prompts/list) and every change to it." />
      {current.length === 0 ? (
        <NoData title="No schema captured yet" base={v.base} firstEventAt={v.project.firstEventAt}>
          The agent records the server&apos;s tools, resources and prompts when a client lists them. Once a client sends <code className="font-mono text-xs">tools/list</code>, it shows here.
        </NoData>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {current.map((c) => (
            <Panel
              key={`${c.serverId}-${c.kind}`}
              title={`${KIND_LABEL[c.kind] ?? c.kind} (${c.items.length})`}
              description={`Server ${c.serverId} · version ${c.hash.slice(0, 8)} · first seen ${formatTime(c.firstSeen)} · last seen ${timeAgo(c.lastSeen)}`}
            >
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {c.items.map((item) => {
                  const name = itemName(c.kind, item);
                  return (
                    <li key={name} className="py-2">
                      {c.kind === "tools" ? (
                        <Link href={`${v.base}/tools/${encodeURIComponent(name)}${v.q}`} className={cx(link, "font-mono text-sm")}>
                          {name}
                        </Link>
                      ) : (
                        <span className="font-mono text-sm text-zinc-900 dark:text-zinc-100">{name}</span>
                      )}
                      {typeof item.description === "string" ? <p className="mt-0.5 line-clamp-2 text-xs text-zinc-500 dark:text-zinc-400">{item.description}</p> : null}
                    </li>
                  );
                })}
              </ul>
            </Panel>
          ))}
        </div>
      )}
      <section className="space-y-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Changes in {v.rangeLabel}</h2>
        {changes.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">No new version of the schema was seen in this range.</p>
        ) : (
          <ol className="space-y-4" aria-label="Schema changes">
            {[...changes].reverse().map((ch) => (
              <li key={`${ch.serverId}-${ch.kind}-${ch.hash}`}>
                <Panel
                  title={
                    <span className="flex flex-wrap items-center gap-2">
                      {KIND_LABEL[ch.kind] ?? ch.kind} {ch.previousHash ? `${ch.previousHash.slice(0, 8)} → ${ch.hash.slice(0, 8)}` : `first version ${ch.hash.slice(0, 8)}`}
                    </span>
                  }
                  description={`First seen ${formatTime(ch.firstSeen)} · server ${ch.serverId} · ${ch.itemCount} items`}
                >
                  <ul className="space-y-2 text-sm">
                    {ch.diff.added.map((a) => (
                      <li key={`a-${a.key}`} className="flex items-center gap-2">
                        <Badge tone="success">added</Badge> <span className="font-mono">{a.key}</span>
                      </li>
                    ))}
                    {ch.diff.removed.map((r) => (
                      <li key={`r-${r.key}`} className="flex items-center gap-2">
                        <Badge tone="danger">removed</Badge> <span className="font-mono">{r.key}</span>
                      </li>
                    ))}
                    {ch.diff.changed.map((c) => (
                      <li key={`c-${c.key}`}>
                        <div className="flex flex-wrap items-center gap-2">
                          <Badge tone="warning">changed</Badge> <span className="font-mono">{c.key}</span>
                          <span className="text-xs text-zinc-500">fields: {c.fields.join(", ")}</span>
                        </div>
                        <div className="mt-2 grid gap-2 md:grid-cols-2">
                          {c.fields.map((f) => (
                            <div key={f} className="contents">
                              <pre className="overflow-x-auto rounded-md bg-red-50 p-2 font-mono text-xs text-red-900 dark:bg-red-950/30 dark:text-red-200">
                                <span className="text-red-500">− {f}: </span>
                                {pretty(c.before[f])}
                              </pre>
                              <pre className="overflow-x-auto rounded-md bg-emerald-50 p-2 font-mono text-xs text-emerald-900 dark:bg-emerald-950/30 dark:text-emerald-200">
                                <span className="text-emerald-600">+ {f}: </span>
                                {pretty(c.after[f])}
                              </pre>
                            </div>
                          ))}
                        </div>
                      </li>
                    ))}
                    {!ch.diff.added.length && !ch.diff.removed.length && !ch.diff.changed.length ? <li className="text-zinc-500">No item-level difference.</li> : null}
                  </ul>
                </Panel>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
