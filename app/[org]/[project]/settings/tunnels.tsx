"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/server/trpc/react";
import type { TunnelRow } from "@/app/_components/api-types";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { ConfirmDialog } from "@/app/_components/dialog";
import { EmptyState } from "@/app/_components/empty-state";
import { isoMinute, timeAgo } from "@/app/_components/format";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { useToast } from "@/app/_components/toast";
import { formatBytes, formatCount } from "../_components/format";

/** Relays report every 15 s; polling a little faster than that keeps the table current without load. */
const REFRESH_MS = 10_000;

/**
 * Tunnel names this project's keys connected with, live: online or not, connected since, requests
 * and bytes as the relays report them. Admins revoke (the relay then refuses the name) or restore them.
 */
export function TunnelsSection({ projectId, tunnels: initial, canManage }: { projectId: string; tunnels: TunnelRow[]; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const listOptions = trpc.tunnel.list.queryOptions({ projectId });
  const tunnels = useQuery({ ...listOptions, initialData: initial, refetchInterval: REFRESH_MS }).data;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: listOptions.queryKey });
    router.refresh();
  };
  const [revoking, setRevoking] = useState<TunnelRow | null>(null);
  const revoke = useMutation(
    trpc.tunnel.revoke.mutationOptions({
      onSuccess() {
        toast.success(`Revoked ${revoking?.name ?? "tunnel"}`);
        setRevoking(null);
        refresh();
      },
    }),
  );
  const restore = useMutation(
    trpc.tunnel.restore.mutationOptions({
      onSuccess() {
        toast.success("Tunnel restored");
        refresh();
      },
    }),
  );

  if (tunnels.length === 0) {
    return (
      <EmptyState className="py-8" title="No tunnels yet">
        Give a local server a public URL with <code className="font-mono text-xs">tapline tunnel --port 3001 --name my-server --api-key …</code>, or add{" "}
        <code className="font-mono text-xs">--tunnel</code> to the proxy command. Names are reserved for your organization.
      </EmptyState>
    );
  }
  return (
    <>
      <Table caption="Tunnels">
        <THead>
          <Th>Name</Th>
          <Th>Public URL</Th>
          <Th>Status</Th>
          <Th className="text-right">Requests</Th>
          <Th className="text-right">Bytes in / out</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <TBody>
          {tunnels.map((t) => (
            <tr key={t.id} className={t.revokedAt ? "opacity-60" : undefined}>
              <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                <span className="flex items-center gap-2">
                  <OnlineDot online={t.online} />
                  <code className="font-mono text-sm">{t.name}</code>
                  {t.revokedAt ? <Badge tone="danger">Revoked</Badge> : null}
                </span>
              </Td>
              <Td>{t.url ? <code className="break-all font-mono text-xs">{t.url}</code> : <span className="text-zinc-400">relay URL not configured</span>}</Td>
              <TunnelStatus tunnel={t} />
              <Td className="text-right tabular-nums">{formatCount(t.requests)}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums" title={`${t.bytesIn} bytes in, ${t.bytesOut} bytes out`}>
                {formatBytes(t.bytesIn)} / {formatBytes(t.bytesOut)}
              </Td>
              <Td className="text-right">
                {canManage ? (
                  t.revokedAt ? (
                    <Button variant="ghost" size="sm" onClick={() => restore.mutate({ projectId, tunnelId: t.id })}>
                      Restore<span className="sr-only"> {t.name}</span>
                    </Button>
                  ) : (
                    <Button variant="dangerGhost" size="sm" onClick={() => setRevoking(t)}>
                      Revoke<span className="sr-only"> {t.name}</span>
                    </Button>
                  )
                ) : null}
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        onConfirm={() => revoking && revoke.mutate({ projectId, tunnelId: revoking.id })}
        title={`Revoke ${revoking?.name ?? "tunnel"}?`}
        description={<>The relay refuses agents using this name from now on; no other organization can take it. You can restore it later.</>}
        confirmLabel="Revoke tunnel"
        danger
      />
    </>
  );
}

function OnlineDot({ online }: { online: boolean }) {
  return (
    <span
      role="img"
      aria-label={online ? "Online" : "Offline"}
      title={online ? "Online" : "Offline"}
      className={`inline-block size-2 shrink-0 rounded-full ${online ? "bg-emerald-500" : "bg-zinc-300 dark:bg-zinc-600"}`}
    />
  );
}

/** Online: since when (a second agent during a relay hand-over is worth saying). Offline: when it was last seen. */
function TunnelStatus({ tunnel: t }: { tunnel: TunnelRow }) {
  if (t.online && t.connectedSince) {
    return (
      <Td title={`Connected since ${isoMinute(t.connectedSince)}`}>
        Connected {timeAgo(t.connectedSince)}
        {t.agents > 1 ? <span className="text-zinc-400"> · {t.agents} agents</span> : null}
      </Td>
    );
  }
  const lastSeen = t.lastSeenAt ?? t.lastConnectedAt;
  return <Td title={isoMinute(lastSeen)}>{lastSeen ? <span className="text-zinc-500">Offline · seen {timeAgo(lastSeen)}</span> : <span className="text-zinc-400">Never connected</span>}</Td>;
}
