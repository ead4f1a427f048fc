"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/server/trpc/react";
import { Badge } from "@/app/_components/badge";
import { Button } from "@/app/_components/button";
import { Field, Input } from "@/app/_components/input";
import { useToast } from "@/app/_components/toast";

export function ProfileForm({ name: initial, email, providers }: { name: string; email: string; providers: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(initial);
  const update = useMutation(
    trpc.account.update.mutationOptions({
      onSuccess() {
        toast.success("Profile saved");
        router.refresh();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ name: name.trim() });
  }
  return (
    <form onSubmit={submit} className="grid max-w-md gap-4">
      <Field label="Name" error={update.error?.message}>
        {(p) => <Input {...p} name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />}
      </Field>
      <Field label="Email" hint="Your email identifies you across organizations and cannot be changed here.">
        {(p) => <Input {...p} type="email" value={email} readOnly disabled />}
      </Field>
      {providers.length ? (
        <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
          Linked sign-in:
          {providers.map((p) => (
            <Badge key={p}>{p === "oidc" ? "single sign-on" : p}</Badge>
          ))}
        </p>
      ) : null}
      <div>
        <Button type="submit" loading={update.isPending} disabled={!name.trim() || name.trim() === initial}>
          Save
        </Button>
      </div>
    </form>
  );
}

export function ChangePasswordForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = confirm.length > 0 && next !== confirm;
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess() {
        toast.success(hasPassword ? "Password changed" : "Password set");
        setCurrent("");
        setNext("");
        setConfirm("");
        router.refresh();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    change.mutate({ current, next });
  }
  return (
    <form onSubmit={submit} className="grid max-w-md gap-4">
      {/* For password managers: which account this password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {hasPassword ? (
        <Field label="Current password">
          {(p) => <Input {...p} type="password" name="current" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />}
        </Field>
      ) : null}
      <Field label="New password" hint="At least 10 characters. A passphrase is easiest to remember.">
        {(p) => <Input {...p} type="password" name="new" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={10} />}
      </Field>
      <Field label="Confirm new password" error={mismatch ? "The two passwords differ." : change.error?.message}>
        {(p) => <Input {...p} type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />}
      </Field>
      <div>
        <Button type="submit" loading={change.isPending} disabled={!next || mismatch || (hasPassword && !current)}>
          {hasPassword ? "Change password" : "Set password"}
        </Button>
      </div>
    </form>
  );
}
