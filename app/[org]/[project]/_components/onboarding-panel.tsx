"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Button } from "@/app/_components/button";
import { CodeBlock } from "@/app/_components/code-block";
import { CreateKeyDialog, type CreatedKey } from "@/app/_components/create-key-dialog";
import { cx, focusRing } from "@/app/_components/cx";
import { Field, Input } from "@/app/_components/input";

export interface OnboardingPanelProps {
  projectId: string;
  projectSlug: string;
  cloudUrl: string;
  canCreateKey: boolean;
  activeKeyCount: number;
  settingsHref: string;
}

type Transport = "http" | "stdio";

const KEY_PLACEHOLDER = "YOUR_API_KEY";

/** The commands a user runs, with their server and key filled in. Exported for tests and docs. */
export function agentSnippets(opts: { serverUrl: string; command: string; apiKey: string; cloudUrl: string; serverName: string }) {
  const http = `npx tapline http --remote-url ${opts.serverUrl} --api-key ${opts.apiKey} --cloud-url ${opts.cloudUrl}`;
  const claude = JSON.stringify(
    {
      mcpServers: {
        [opts.serverName]: {
          command: "npx",
          args: ["-y", "tapline", "stdio", "--command", opts.command, "--api-key", opts.apiKey, "--cloud-url", opts.cloudUrl],
        },
      },
    },
    null,
    2,
  );
  return { http, claude };
}

/**
 * "Waiting for first call": create a key, copy the exact command for an HTTP server or the
 * Claude Desktop entry for a stdio one, and watch for the first record (polls every 5 s).
 */
export function OnboardingPanel({ projectId, projectSlug, cloudUrl, canCreateKey, activeKeyCount, settingsHref }: OnboardingPanelProps) {
  const trpc = useTRPC();
  const router = useRouter();
  const tabsId = useId();
  const [transport, setTransport] = useState<Transport>("http");
  const [serverUrl, setServerUrl] = useState("http://localhost:8000/mcp");
  const [command, setCommand] = useState("node /path/to/server.js");
  const [creating, setCreating] = useState(false);
  const [key, setKey] = useState<CreatedKey | null>(null);

  const status = useQuery({ ...trpc.project.get.queryOptions({ projectId }), refetchInterval: 5000 });
  const live = Boolean(status.data?.firstEventAt);
  useEffect(() => {
    if (live) router.refresh();
  }, [live, router]);

  const snippets = agentSnippets({ serverUrl: serverUrl || "http://localhost:8000/mcp", command: command || "node server.js", apiKey: key?.key ?? KEY_PLACEHOLDER, cloudUrl, serverName: projectSlug });
  const tabs: { id: Transport; label: string }[] = [
    { id: "http", label: "HTTP server" },
    { id: "stdio", label: "stdio server (Claude Desktop)" },
  ];

  return (
    <section aria-labelledby="onboarding-title" className="overflow-hidden rounded-xl bg-white ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-800">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 bg-gradient-to-r from-accent-50 to-transparent px-6 py-5 dark:border-zinc-800 dark:from-accent-900/30">
        <div>
          <h2 id="onboarding-title" className="text-base font-semibold text-zinc-900 dark:text-zinc-50">
            Connect your MCP server
          </h2>
          <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">Two steps. The agent forwards every byte unchanged and records each call on the side.</p>
        </div>
        <p role="status" className="inline-flex items-center gap-2 rounded-full bg-white px-3 py-1 text-sm font-medium text-amber-800 ring-1 ring-amber-200 dark:bg-zinc-900 dark:text-amber-300 dark:ring-amber-900/60">
          <span className="relative flex size-2.5" aria-hidden>
            <span className="absolute inline-flex size-full animate-ping rounded-full bg-amber-400 opacity-75" />
            <span className="relative inline-flex size-2.5 rounded-full bg-amber-500" />
          </span>
          Waiting for first call
        </p>
      </div>

      <ol className="divide-y divide-zinc-100 dark:divide-zinc-800">
        <li className="flex gap-4 px-6 py-5">
          <StepNumber n={1} done={Boolean(key)} />
          <div className="min-w-0 flex-1">
            <h3 className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Create an API key</h3>
            {key ? (
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                Key “{key.name}” is filled into the commands below. It will not be shown again after you leave this page.
              </p>
            ) : (
              <>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                  The agent authenticates with it.{" "}
                  {activeKeyCount > 0 ? `This project already has ${activeKeyCount} active key${activeKeyCount === 1 ? "" : "s"}; use one you saved or create another.` : null}
                </p>
                <div className="mt-3 flex flex-wrap gap-2">
                  {canCreateKey ? (
                    <Button onClick={() => setCreating(true)}>Create API key</Button>
                  ) : (
                    <p className="text-sm text-zinc-500">Your role cannot create keys: ask a member, admin or owner.</p>
                  )}
                  <Link href={settingsHref} className={cx("inline-flex items-center rounded-md px-2 text-sm text-accent-700 hover:underline dark:text-accent-300", focusRing)}>
                    Manage keys
                  </Link>
                </div>
              </>
            )}
          </div>
        </li>
        <li className="flex gap-4 px-6 py-5">
          <StepNumber n={2} />
          <div className="min-w-0 flex-1 space-y-4">
            <div>
              <h3 className="text-sm font-medium text-zinc-900 dark:text-zinc-100">Run the agent in front of your server</h3>
              <div role="tablist" aria-label="How your server is reached" className="mt-3 inline-flex rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-800">
                {tabs.map((t) => (
                  <button
                    key={t.id}
                    id={`${tabsId}-${t.id}`}
                    type="button"
                    role="tab"
                    aria-selected={transport === t.id}
                    aria-controls={`${tabsId}-${t.id}-panel`}
                    tabIndex={transport === t.id ? 0 : -1}
                    onClick={() => setTransport(t.id)}
                    onKeyDown={(e) => {
                      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
                        const next = transport === "http" ? "stdio" : "http";
                        setTransport(next);
                        document.getElementById(`${tabsId}-${next}`)?.focus();
                      }
                    }}
                    className={cx(
                      "rounded px-3 py-1.5 text-sm",
                      transport === t.id ? "bg-white font-medium text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-50" : "text-zinc-600 dark:text-zinc-400",
                      focusRing,
                    )}
                  >
                    {t.label}
                  </button>
                ))}
              </div>
            </div>
            {transport === "http" ? (
              <div id={`${tabsId}-http-panel`} role="tabpanel" aria-labelledby={`${tabsId}-http`} className="space-y-4">
                <Field label="Your MCP server's URL" className="max-w-md">
                  {(p) => <Input {...p} value={serverUrl} onChange={(e) => setServerUrl(e.target.value.trim())} spellCheck={false} className="font-mono text-xs" />}
                </Field>
                <CodeBlock label="Terminal" code={snippets.http} />
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  Then point your MCP client at the address tapline prints (<code className="font-mono text-xs">http://127.0.0.1:8787</code> by default) instead
                  of your server.
                </p>
              </div>
            ) : (
              <div id={`${tabsId}-stdio-panel`} role="tabpanel" aria-labelledby={`${tabsId}-stdio`} className="space-y-4">
                <Field label="Command that starts your server" className="max-w-md">
                  {(p) => <Input {...p} value={command} onChange={(e) => setCommand(e.target.value)} spellCheck={false} className="font-mono text-xs" />}
                </Field>
                <CodeBlock label="claude_desktop_config.json" code={snippets.claude} />
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Restart Claude Desktop, then use one of the server&apos;s tools.</p>
              </div>
            )}
          </div>
        </li>
      </ol>
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} projectId={projectId} defaultName="laptop" onCreated={setKey} />
    </section>
  );
}

function StepNumber({ n, done }: { n: number; done?: boolean }) {
  return (
    <span
      className={cx(
        "flex size-7 shrink-0 items-center justify-center rounded-full text-sm font-semibold",
        done ? "bg-emerald-500 text-white" : "bg-accent-600 text-white dark:bg-accent-500",
      )}
      aria-hidden
    >
      {done ? "✓" : n}
    </span>
  );
}
