"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Button } from "@/app/_components/button";
import { ConfirmDialog } from "@/app/_components/dialog";
import { Field, Input } from "@/app/_components/input";
import { DangerRow } from "@/app/_components/page-header";
import { useToast } from "@/app/_components/toast";

export function OrgNameForm({ orgId, name: initial, slug, canEdit }: { orgId: string; name: string; slug: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(initial);
  const rename = useMutation(
    trpc.org.rename.mutationOptions({
      onSuccess() {
        toast.success("Organization renamed");
        router.refresh();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    rename.mutate({ orgId, name: name.trim() });
  }
  return (
    <form onSubmit={submit} className="grid max-w-xl gap-4">
      <Field label="Organization name" error={rename.error?.message}>
        {(p) => <Input {...p} name="orgName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} disabled={!canEdit} />}
      </Field>
      <Field label="URL" hint="The address of this organization; it does not change when you rename it.">
        {(p) => <Input {...p} value={`/${slug}`} readOnly disabled className="font-mono text-xs" />}
      </Field>
      {canEdit ? (
        <div>
          <Button type="submit" loading={rename.isPending} disabled={!name.trim() || name.trim() === initial}>
            Save
          </Button>
        </div>
      ) : null}
    </form>
  );
}

export function LeaveOrg({ orgId, orgName, soleOwner }: { orgId: string; orgName: string; soleOwner: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const leave = useMutation(
    trpc.member.leave.mutationOptions({
      onSuccess() {
        toast.success(`You left ${orgName}`);
        setOpen(false);
        router.push("/");
        router.refresh();
      },
    }),
  );
  return (
    <>
      <DangerRow
        title="Leave organization"
        text={
          soleOwner
            ? "You are its only owner: give another member the owner role or transfer ownership first, or delete the organization."
            : "You lose access to its projects until someone invites you again."
        }
        action={
          <Button variant="secondary" onClick={() => setOpen(true)} disabled={soleOwner}>
            Leave {orgName}
          </Button>
        }
      />
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        mutation={leave}
        onConfirm={() => leave.mutate({ orgId })}
        title={`Leave ${orgName}?`}
        description="You will lose access to its projects and keys."
        confirmLabel="Leave"
        danger
      />
    </>
  );
}

export function DeleteOrg({ orgId, orgName }: { orgId: string; orgName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.org.delete.mutationOptions({
      onSuccess() {
        toast.success(`Deleted ${orgName}`);
        setOpen(false);
        router.push("/");
        router.refresh();
      },
    }),
  );
  return (
    <>
      <DangerRow
        title="Delete organization"
        text="Deletes every project, API key, member and invitation. This cannot be undone."
        action={
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete organization
          </Button>
        }
      />
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        mutation={remove}
        onConfirm={() => remove.mutate({ orgId, confirmName: orgName })}
        title={`Delete ${orgName}?`}
        description="All projects, their API keys and recorded calls, members and invitations are deleted."
        confirmLabel="Delete organization"
        danger
        typedConfirmation={orgName}
      />
    </>
  );
}
