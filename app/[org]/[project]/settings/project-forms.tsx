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
import { EnvironmentField } from "../../_components/environment-field";

export function ProjectGeneralForm({ projectId, name: initialName, environment: initialEnv, canEdit }: { projectId: string; name: string; environment: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(initialName);
  const [environment, setEnvironment] = useState(initialEnv);
  const update = useMutation(
    trpc.project.update.mutationOptions({
      onSuccess() {
        toast.success("Project saved");
        router.refresh();
      },
    }),
  );
  const changed = name.trim() !== initialName || environment.trim() !== initialEnv;

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({
      projectId,
      ...(name.trim() !== initialName && { name: name.trim() }),
      ...(environment.trim() !== initialEnv && { environment: environment.trim() }),
    });
  }

  return (
    <form onSubmit={submit} className="grid max-w-xl gap-4">
      <Field label="Project name">
        {(p) => <Input {...p} name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} disabled={!canEdit} />}
      </Field>
      <EnvironmentField value={environment} onChange={setEnvironment} disabled={!canEdit} error={update.error?.message} />
      {canEdit ? (
        <div>
          <Button type="submit" loading={update.isPending} disabled={!changed || !name.trim() || !environment.trim()}>
            Save changes
          </Button>
        </div>
      ) : (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Only owners and admins can change project settings.</p>
      )}
    </form>
  );
}

export function DeleteProject({ projectId, projectName, orgSlug }: { projectId: string; projectName: string; orgSlug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const remove = useMutation(
    trpc.project.delete.mutationOptions({
      onSuccess() {
        toast.success(`Deleted ${projectName}`);
        setOpen(false);
        router.push(`/${orgSlug}`);
        router.refresh();
      },
    }),
  );
  return (
    <>
      <DangerRow
        text="Delete this project, its API keys and all its recorded calls. This cannot be undone."
        action={
          <Button variant="danger" onClick={() => setOpen(true)}>
            Delete project
          </Button>
        }
      />
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        mutation={remove}
        onConfirm={() => remove.mutate({ projectId, confirmName: projectName })}
        title={`Delete ${projectName}?`}
        description="Its API keys stop working immediately and its recorded calls are deleted."
        confirmLabel="Delete project"
        danger
        typedConfirmation={projectName}
      />
    </>
  );
}
