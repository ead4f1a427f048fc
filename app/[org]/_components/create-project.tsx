"use client";

import { useMutation } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Button } from "@/app/_components/button";
import { Dialog, DialogActions } from "@/app/_components/dialog";
import { PlusIcon } from "@/app/_components/icons";
import { Field, Input } from "@/app/_components/input";
import { useToast } from "@/app/_components/toast";
import { EnvironmentField } from "./environment-field";

/** "New project" button and its dialog; on success, goes to the new project's onboarding. */
export function CreateProjectButton({ orgId, orgSlug, initiallyOpen = false }: { orgId: string; orgSlug: string; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const router = useRouter();
  const pathname = usePathname();

  function close() {
    setOpen(false);
    // Drop ?new=project so a reload does not reopen the dialog.
    if (initiallyOpen) router.replace(pathname);
  }

  return (
    <>
      <Button onClick={() => setOpen(true)} icon={<PlusIcon />}>
        New project
      </Button>
      <CreateProjectDialog open={open} onClose={close} orgId={orgId} orgSlug={orgSlug} />
    </>
  );
}

function CreateProjectDialog({ open, onClose, orgId, orgSlug }: { open: boolean; onClose: () => void; orgId: string; orgSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState("");
  const [environment, setEnvironment] = useState("production");
  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess(project) {
        toast.success(`Created ${project.name}`);
        router.push(`/${orgSlug}/${project.slug}`);
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
    create.mutate({ orgId, name: name.trim(), environment: environment.trim() || "production" });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissable={!create.isPending}
      title="New project"
      description="One project per MCP server and environment. You will get an API key for it next."
    >
      <form onSubmit={submit} className="space-y-4">
        <Field label="Project name" hint="For example the MCP server's name: “Weather MCP”." error={create.error?.message}>
          {(p) => <Input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoFocus placeholder="Weather MCP" />}
        </Field>
        <EnvironmentField value={environment} onChange={setEnvironment} />
        <DialogActions onCancel={close} pending={create.isPending} submitLabel="Create project" disabled={!name.trim()} />
      </form>
    </Dialog>
  );
}
