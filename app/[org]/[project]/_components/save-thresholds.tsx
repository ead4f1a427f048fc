"use client";
/**
 * "Save for the project" in the thresholds form (admins): stores the form's values as the
 * project's thresholds through tRPC, then reloads the view without the URL overrides.
 */
import { useMutation } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { MouseEvent } from "react";
import { buttonClass } from "@/app/_components/button";
import { useToast } from "@/app/_components/toast";
import { useTRPC } from "@/server/trpc/react";
import { THRESHOLD_PARAM_KEYS } from "./view-params";

function read(form: HTMLFormElement, name: string): number | undefined {
  const el = form.elements.namedItem(name);
  if (!(el instanceof HTMLInputElement) || el.value.trim() === "") return undefined;
  const n = Number(el.value);
  return Number.isFinite(n) ? n : undefined;
}

export function SaveThresholds({ projectId, hasSaved }: { projectId: string; hasSaved: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const toast = useToast();
  const save = useMutation(
    trpc.analytics.setHealthThresholds.mutationOptions({
      onSuccess(data) {
        toast.success(data.thresholds ? "Thresholds saved for the project" : "Thresholds back to the defaults");
        const q = new URLSearchParams(params.toString());
        for (const k of THRESHOLD_PARAM_KEYS) q.delete(k);
        router.replace(q.toString() ? `${pathname}?${q.toString()}` : pathname);
        router.refresh();
      },
      onError(e) {
        toast.error(`Could not save the thresholds: ${e.message}`);
      },
    }),
  );

  function onSave(e: MouseEvent<HTMLButtonElement>) {
    const form = e.currentTarget.form;
    if (!form) return;
    const pct = (v: number | undefined) => (v === undefined ? undefined : v / 100);
    save.mutate({
      projectId,
      thresholds: {
        degraded: { errorRate: pct(read(form, "deg_err")), p95Ms: read(form, "deg_p95") },
        failing: { errorRate: pct(read(form, "fail_err")), p95Ms: read(form, "fail_p95") },
      },
    });
  }

  return (
    <>
      <button type="button" onClick={onSave} disabled={save.isPending} className={buttonClass("primary", "sm")}>
        Save for the project
      </button>
      {hasSaved ? (
        <button type="button" onClick={() => save.mutate({ projectId, thresholds: null })} disabled={save.isPending} className={buttonClass("ghost", "sm")}>
          Reset saved thresholds
        </button>
      ) : null}
    </>
  );
}
