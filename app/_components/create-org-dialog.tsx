"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Dialog, DialogActions } from "./dialog";
import { Field, Input } from "./input";
import { useToast } from "./toast";

/** "Create organization": name → the new org's projects page. */
export function CreateOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.org.create.mutationOptions({
      onSuccess(org) {
        toast.success(`Created ${org.name}`);
        setName("");
        onClose();
        router.push(`/${org.slug}`);
        router.refresh();
      },
    }),
  );

  function close() {
    create.reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissable={!create.isPending}
      title="Create organization"
      description="An organization holds projects and the people who can see them. You will be its owner."
      size="sm"
    >
      <form onSubmit={submit} className="space-y-4">
        <Field label="Name" error={create.error?.message}>
          {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="Acme Inc." required maxLength={80} autoFocus />}
        </Field>
        <DialogActions onCancel={close} pending={create.isPending} submitLabel="Create organization" disabled={!name.trim()} />
      </form>
    </Dialog>
  );
}
