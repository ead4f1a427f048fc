"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Button } from "./button";
import { CopyButton } from "./copy-button";
import { Dialog, DialogActions } from "./dialog";
import { Field, Input } from "./input";

export interface CreatedKey {
  id: string;
  name: string;
  key: string;
}

/**
 * Name → create → the full key, shown this one time with a copy button and a warning.
 * Closing the dialog forgets the key; the server keeps only its hash.
 */
export function CreateKeyDialog({
  open,
  onClose,
  projectId,
  defaultName = "",
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  projectId: string;
  defaultName?: string;
  onCreated?: (key: CreatedKey) => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(defaultName);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess(row) {
        const key = { id: row.id, name: row.name, key: row.key };
        setCreated(key);
        onCreated?.(key);
        router.refresh();
      },
    }),
  );

  function close() {
    setCreated(null);
    setName(defaultName);
    create.reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ projectId, name: name.trim() });
  }

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Your new API key"
        description={<>Key “{created.name}” was created. Copy it now and keep it somewhere safe.</>}
        footer={<Button onClick={close}>I have copied the key</Button>}
      >
        <div className="space-y-4">
          <div className="flex items-center gap-2">
            <Input
              readOnly
              value={created.key}
              aria-label="API key"
              data-testid="new-api-key"
              className="font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton value={created.key} size="md" />
          </div>
          <div role="note" className="flex gap-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/40 dark:text-amber-200 dark:ring-amber-900/60">
            <svg viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0" fill="currentColor" aria-hidden>
              <path fillRule="evenodd" d="M8.49 2.5a1.75 1.75 0 0 1 3.02 0l6.25 10.83A1.75 1.75 0 0 1 16.25 16H3.75a1.75 1.75 0 0 1-1.51-2.67L8.49 2.5ZM10 6a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 6Zm0 7.5a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" />
            </svg>
            <p>
              <strong className="font-semibold">This is the only time the key is shown.</strong> Tapline stores only a hash of it. If you lose it, revoke it
              and create a new one.
            </p>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      dismissable={!create.isPending}
      title="Create API key"
      description="The agent (npx tapline) sends this project's records with it. Name it after where it will run."
      size="sm"
    >
      <form onSubmit={submit} className="space-y-4">
        <Field label="Key name" hint="For example “laptop”, “CI” or “prod-eu-1”." error={create.error?.message}>
          {(p) => <Input {...p} name="keyName" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoFocus placeholder="laptop" />}
        </Field>
        <DialogActions onCancel={close} pending={create.isPending} submitLabel="Create key" disabled={!name.trim()} />
      </form>
    </Dialog>
  );
}
