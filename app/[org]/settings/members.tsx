"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/server/trpc/react";
import type { MemberRow, Role } from "@/app/_components/api-types";
import { Avatar } from "@/app/_components/avatar";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { ConfirmDialog } from "@/app/_components/dialog";
import { isoMinute, timeAgo } from "@/app/_components/format";
import { Select } from "@/app/_components/input";
import { ROLE_DESCRIPTIONS } from "@/app/_components/roles";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { useToast } from "@/app/_components/toast";

const ALL_ROLES: Role[] = ["owner", "admin", "member", "viewer"];

type Pending = { kind: "remove" | "transfer"; member: MemberRow } | null;

export function MembersTable({ orgId, orgName, members, myRole, canManage }: { orgId: string; orgName: string; members: MemberRow[]; myRole: Role; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [pending, setPending] = useState<Pending>(null);
  const onDone = (message: string) => {
    toast.success(message);
    setPending(null);
    router.refresh();
  };
  const updateRole = useMutation(
    trpc.member.updateRole.mutationOptions({
      onSuccess: (r) => onDone(`Role changed to ${r.role}`),
      onError: (e) => {
        toast.error(e.message);
        router.refresh();
      },
    }),
  );
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSuccess: () => onDone(`Removed ${displayName(pending?.member)}`) }));
  const transfer = useMutation(trpc.member.transferOwnership.mutationOptions({ onSuccess: () => onDone(`${displayName(pending?.member)} now owns ${orgName}`) }));

  const owner = myRole === "owner";
  // Owners manage everyone; admins manage people below owner, never owners.
  const mayManage = (m: MemberRow) => canManage && !m.isYou && (owner || m.role !== "owner");
  const rolesFor = () => (owner ? ALL_ROLES : ALL_ROLES.filter((r) => r !== "owner"));

  return (
    <>
      <Table caption="Members">
        <THead>
          <Th>Member</Th>
          <Th>Role</Th>
          <Th className="hidden sm:table-cell">Joined</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </THead>
        <TBody>
          {members.map((m) => (
            <tr key={m.userId}>
              <Td>
                <div className="flex items-center gap-3">
                  <Avatar name={m.name || m.email} />
                  <div className="min-w-0">
                    <p className="flex items-center gap-2 truncate font-medium text-zinc-900 dark:text-zinc-100">
                      {m.name || m.email}
                      {m.isYou ? <Badge tone="accent">You</Badge> : null}
                    </p>
                    {m.name ? <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{m.email}</p> : null}
                  </div>
                </div>
              </Td>
              <Td>
                {mayManage(m) ? (
                  <Select
                    aria-label={`Role of ${displayName(m)}`}
                    value={m.role}
                    disabled={updateRole.isPending}
                    onChange={(e) => updateRole.mutate({ orgId, userId: m.userId, role: e.target.value as Role })}
                    className="w-32"
                    title={ROLE_DESCRIPTIONS[m.role]}
                  >
                    {rolesFor().map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Badge tone={m.role === "owner" ? "accent" : "neutral"}>{m.role}</Badge>
                )}
              </Td>
              <Td className="hidden sm:table-cell" title={isoMinute(m.joinedAt)}>
                {timeAgo(m.joinedAt)}
              </Td>
              <Td className="text-right whitespace-nowrap">
                {owner && !m.isYou && m.role !== "owner" ? (
                  <Button variant="ghost" size="sm" onClick={() => setPending({ kind: "transfer", member: m })}>
                    Transfer ownership<span className="sr-only"> to {displayName(m)}</span>
                  </Button>
                ) : null}
                {mayManage(m) ? (
                  <Button variant="dangerGhost" size="sm" onClick={() => setPending({ kind: "remove", member: m })}>
                    Remove<span className="sr-only"> {displayName(m)}</span>
                  </Button>
                ) : null}
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
      <details className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
        <summary className="cursor-pointer select-none">What each role can do</summary>
        <dl className="mt-2 grid gap-1 sm:grid-cols-[6rem_1fr]">
          {ALL_ROLES.map((r) => (
            <div key={r} className="contents">
              <dt className="font-medium text-zinc-800 dark:text-zinc-200">{r}</dt>
              <dd>{ROLE_DESCRIPTIONS[r]}</dd>
            </div>
          ))}
        </dl>
      </details>
      <ConfirmDialog
        open={pending?.kind === "remove"}
        onClose={() => setPending(null)}
        mutation={remove}
        onConfirm={() => pending && remove.mutate({ orgId, userId: pending.member.userId })}
        title={`Remove ${displayName(pending?.member)}?`}
        description={`They lose access to ${orgName} and its projects. API keys they created keep working until revoked.`}
        confirmLabel="Remove member"
        danger
      />
      <ConfirmDialog
        open={pending?.kind === "transfer"}
        onClose={() => setPending(null)}
        mutation={transfer}
        onConfirm={() => pending && transfer.mutate({ orgId, userId: pending.member.userId })}
        title={`Transfer ownership to ${displayName(pending?.member)}?`}
        description="They become an owner and you become an admin. Only an owner can make you owner again."
        confirmLabel="Transfer ownership"
      />
    </>
  );
}

function displayName(m: MemberRow | undefined): string {
  return m ? m.name || m.email : "member";
}
