"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/server/trpc/react";
import type { ApiKeyRow } from "@/app/_components/api-types";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { CreateKeyDialog } from "@/app/_components/create-key-dialog";
import { ConfirmDialog } from "@/app/_components/dialog";
import { EmptyState } from "@/app/_components/empty-state";
import { isoMinute, timeAgo } from "@/app/_components/format";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { useToast } from "@/app/_components/toast";

export function ApiKeysSection({
  projectId,
  keys,
  userId,
  canCreate,
  canRevokeAny,
}: {
  projectId: string;
  keys: ApiKeyRow[];
  userId: string;
  canCreate: boolean;
  canRevokeAny: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRow | null>(null);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess() {
        toast.success(`Revoked ${revoking?.name ?? "key"}`);
        setRevoking(null);
        router.refresh();
      },
    }),
  );

  const createButton = canCreate ? <Button onClick={() => setCreating(true)}>Create API key</Button> : null;
  const mayRevoke = (k: ApiKeyRow) => !k.revoked && canCreate && (canRevokeAny || k.createdBy?.id === userId);

  return (
    <div className="space-y-4">
      {keys.length === 0 ? (
        <EmptyState
          className="py-8"
          title="No API keys yet"
          icon={
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
              <circle cx="8" cy="15" r="4" />
              <path strokeLinecap="round" strokeLinejoin="round" d="m10.85 12.15 7.4-7.4M15 8l2.5 2.5M18 5l2 2" />
            </svg>
          }
          action={createButton}
        >
          Create a key and pass it to the agent with <code className="font-mono text-xs">--api-key</code>.
          {canCreate ? null : " Viewers cannot create keys."}
        </EmptyState>
      ) : (
        <>
          {createButton ? <div className="flex justify-end">{createButton}</div> : null}
          <Table caption="API keys">
            <THead>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {keys.map((k) => (
                <tr key={k.id} className={k.revoked ? "opacity-60" : undefined}>
                  <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                    <span className="flex items-center gap-2">
                      {k.name}
                      {k.revoked ? <Badge tone="danger">Revoked</Badge> : null}
                    </span>
                    {k.createdBy ? <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">by {k.createdBy.name}</span> : null}
                  </Td>
                  <Td>
                    <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{k.prefix}…</code>
                  </Td>
                  <Td title={isoMinute(k.createdAt)}>{timeAgo(k.createdAt)}</Td>
                  <Td title={isoMinute(k.lastUsedAt)}>{k.lastUsedAt ? timeAgo(k.lastUsedAt) : <span className="text-zinc-400">Never</span>}</Td>
                  <Td className="text-right">
                    {mayRevoke(k) ? (
                      <Button variant="dangerGhost" size="sm" onClick={() => setRevoking(k)}>
                        Revoke<span className="sr-only"> {k.name}</span>
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </>
      )}
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} projectId={projectId} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        onConfirm={() => revoking && revoke.mutate({ projectId, keyId: revoking.id })}
        title={`Revoke ${revoking?.name ?? "key"}?`}
        description={
          <>
            Agents using <code className="font-mono">{revoking?.prefix}…</code> stop shipping records within seconds. This cannot be undone.
          </>
        }
        confirmLabel="Revoke key"
        danger
      />
    </div>
  );
}
