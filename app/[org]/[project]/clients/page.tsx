import type { Metadata } from "next";
import Link from "next/link";
import { BarChart } from "@/app/_components/charts/bar-chart";
import { cx, focusRing } from "@/app/_components/cx";
import { formatCount, formatMs, formatPct } from "../_components/format";
import { linkClass, load, NoData, Panel, projectView, ViewError, ViewHeader, type ViewParams } from "../_components/view";
import { keepParams, type SearchParams, isApproximateRange } from "../_components/view-params";

export const metadata: Metadata = { title: "Clients" };

export default async function ClientsPage({ params, searchParams }: { params: ViewParams; searchParams: Promise<SearchParams> }) {
  const v = await projectView(params, searchParams);
  const res = await load(`${v.base}/clients`, () => v.api.analytics.clients({ projectId: v.project.id, range: v.range, topTools: 5 }));
  if (!res.ok) return <ViewError what="the clients" message={res.message} />;
  const clients = res.data;
  const link = linkClass;

  return (
    <div className="space-y-6">
      <ViewHeader approximate={isApproximateRange(v.range)} title="Clients" description={`The AI clients (from their MCP initialize) that called the server in ${v.rangeLabel}, and their versions.`} />
      {clients.length === 0 ? (
        <NoData title="No clients in this range" base={v.base} firstEventAt={v.project.firstEventAt}>
          No calls in {v.rangeLabel}. Pick a longer range above.
        </NoData>
      ) : (
        <>
          <Panel title="Calls by client">
            <BarChart label="Calls per client" data={clients.map((c) => ({ label: c.clientName, value: c.calls }))} height={160} />
          </Panel>
          <div className="overflow-x-auto rounded-lg bg-white ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
            <table className="min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
              <caption className="sr-only">Clients and versions</caption>
              <thead className="bg-zinc-50 dark:bg-zinc-900/60">
                <tr className="text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                  <th scope="col" className="px-4 py-2.5">Client / version</th>
                  <th scope="col" className="px-4 py-2.5 text-right">Calls</th>
                  <th scope="col" className="px-4 py-2.5 text-right">Error rate</th>
                  <th scope="col" className="px-4 py-2.5 text-right">p50</th>
                  <th scope="col" className="px-4 py-2.5 text-right">p95</th>
                  <th scope="col" className="px-4 py-2.5 text-right">Tools used</th>
                  <th scope="col" className="px-4 py-2.5">Top tools</th>
                </tr>
              </thead>
              {clients.map((c) => (
                <tbody key={c.clientName} id={`client-${encodeURIComponent(c.clientName)}`} className="divide-y divide-zinc-100 tabular-nums dark:divide-zinc-800">
                  <tr className="bg-white dark:bg-zinc-900">
                    <th scope="row" className="px-4 py-3 text-left font-medium text-zinc-900 dark:text-zinc-100">
                      <Link href={`${v.base}/sessions${keepParams(v.sp, { client: c.clientName })}`} className={link} title="Sessions of this client">
                        {c.clientName}
                      </Link>
                    </th>
                    <td className="px-4 py-3 text-right">{formatCount(c.calls)}</td>
                    <td className={cx("px-4 py-3 text-right", c.errorRate > 0 && "text-red-600 dark:text-red-400")}>{formatPct(c.errorRate)}</td>
                    <td className="px-4 py-3 text-right">{formatMs(c.p50Ms)}</td>
                    <td className="px-4 py-3 text-right">{formatMs(c.p95Ms)}</td>
                    <td className="px-4 py-3 text-right">{formatCount(c.toolsUsed)}</td>
                    <td className="px-4 py-3">
                      <span className="flex flex-wrap gap-1">
                        {c.topTools.map((t) => (
                          <Link key={t.tool} href={`${v.base}/tools/${encodeURIComponent(t.tool)}${v.q}`} className={cx("rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-300", focusRing)}>
                            {t.tool} <span className="text-zinc-400">{formatCount(t.calls)}</span>
                          </Link>
                        ))}
                      </span>
                    </td>
                  </tr>
                  {c.versions.map((ver) => (
                    <tr key={ver.clientVersion ?? "?"} className="text-zinc-600 dark:text-zinc-400">
                      <td className="py-2 pr-4 pl-8 font-mono text-xs">{ver.clientVersion ?? "unknown version"}</td>
                      <td className="px-4 py-2 text-right">{formatCount(ver.calls)}</td>
                      <td className="px-4 py-2 text-right">{formatPct(ver.errorRate)}</td>
                      <td className="px-4 py-2 text-right">{formatMs(ver.p50Ms)}</td>
                      <td className="px-4 py-2 text-right">{formatMs(ver.p95Ms)}</td>
                      <td className="px-4 py-2 text-right">{formatCount(ver.toolsUsed)}</td>
                      <td />
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        </>
      )}
    </div>
  );
}
