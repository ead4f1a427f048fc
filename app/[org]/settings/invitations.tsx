"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import type { InvitationRow } from "@/app/_components/api-types";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { CopyButton } from "@/app/_components/copy-button";
import { ConfirmDialog, Dialog, DialogActions } from "@/app/_components/dialog";
import { EmptyState } from "@/app/_components/empty-state";
import { isoMinute, timeAgo } from "@/app/_components/format";
import { Field, Input, Select } from "@/app/_components/input";
import { ROLE_DESCRIPTIONS } from "@/app/_components/roles";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { useToast } from "@/app/_components/toast";

type InviteRole = "admin" | "member" | "viewer";

export function InvitationsSection({ orgId, invitations, canManage }: { orgId: string; invitations: InvitationRow[]; canManage: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [inviting, setInviting] = useState(false);
  const [revoking, setRevoking] = useState<InvitationRow | null>(null);
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onSuccess() {
        toast.success(`Invitation to ${revoking?.email ?? "them"} revoked`);
        setRevoking(null);
        router.refresh();
      },
    }),
  );
  const inviteButton = canManage ? <Button onClick={() => setInviting(true)}>Invite people</Button> : null;

  return (
    <div className="space-y-4">
      {invitations.length === 0 ? (
        <EmptyState
          className="py-8"
          title="No pending invitations"
          action={inviteButton}
          icon={
            <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
              <rect x="3" y="5" width="18" height="14" rx="2" />
              <path strokeLinecap="round" strokeLinejoin="round" d="m3.5 6 8.5 7 8.5-7" />
            </svg>
          }
        >
          {canManage ? "Invite teammates to see this organization's projects. You choose their role." : "Owners and admins can invite people."}
        </EmptyState>
      ) : (
        <>
          {inviteButton ? <div className="flex justify-end">{inviteButton}</div> : null}
          <Table caption="Pending invitations">
            <THead>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th className="hidden sm:table-cell">Invited</Th>
              <Th>Expires</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {invitations.map((inv) => (
                <tr key={inv.id}>
                  <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                    {inv.email}
                    {inv.invitedBy ? <span className="block text-xs font-normal text-zinc-500 dark:text-zinc-400">by {inv.invitedBy}</span> : null}
                  </Td>
                  <Td>
                    <Badge>{inv.role}</Badge>
                  </Td>
                  <Td className="hidden sm:table-cell" title={isoMinute(inv.createdAt)}>
                    {timeAgo(inv.createdAt)}
                  </Td>
                  <Td title={isoMinute(inv.expiresAt)}>{inv.status === "expired" ? <Badge tone="warning">Expired</Badge> : timeAgo(inv.expiresAt)}</Td>
                  <Td className="text-right">
                    {canManage ? (
                      <Button variant="dangerGhost" size="sm" onClick={() => setRevoking(inv)}>
                        Revoke<span className="sr-only"> invitation for {inv.email}</span>
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </>
      )}
      <InviteDialog open={inviting} onClose={() => setInviting(false)} orgId={orgId} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        onConfirm={() => revoking && revoke.mutate({ orgId, invitationId: revoking.id })}
        title="Revoke invitation?"
        description={`The link sent to ${revoking?.email ?? ""} stops working.`}
        confirmLabel="Revoke invitation"
        danger
      />
    </div>
  );
}

function InviteDialog({ open, onClose, orgId }: { open: boolean; onClose: () => void; orgId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<InviteRole>("member");
  const create = useMutation(trpc.invitation.create.mutationOptions({ onSuccess: () => router.refresh() }));

  function close() {
    create.reset();
    setEmail("");
    setRole("member");
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ orgId, email: email.trim(), role });
  }

  if (create.data) {
    const inv = create.data;
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Invitation created"
        description={
          inv.emailed ? (
            <>We emailed {inv.email} a link. You can also share it yourself:</>
          ) : (
            <>Send this link to {inv.email}. It works once, for that email address, until {isoMinute(inv.expiresAt)}.</>
          )
        }
        footer={<Button onClick={close}>Done</Button>}
      >
        <div className="flex items-center gap-2">
          <Input readOnly value={inv.url} aria-label="Invitation link" data-testid="invitation-url" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={inv.url} size="md" />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} onClose={close} dismissable={!create.isPending} title="Invite people" description="They join with the role you choose once they accept." size="sm">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Email address" error={create.error?.message}>
          {(p) => <Input {...p} type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus placeholder="ada@example.com" />}
        </Field>
        <Field label="Role" hint={ROLE_DESCRIPTIONS[role]}>
          {(p) => (
            <Select {...p} name="role" value={role} onChange={(e) => setRole(e.target.value as InviteRole)}>
              <option value="admin">admin</option>
              <option value="member">member</option>
              <option value="viewer">viewer</option>
            </Select>
          )}
        </Field>
        <DialogActions onCancel={close} pending={create.isPending} submitLabel="Create invitation" disabled={!email.trim()} />
      </form>
    </Dialog>
  );
}
