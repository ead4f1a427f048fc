"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "./button";
import { cx, focusRing } from "./cx";
import { Field, Input } from "./input";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons row at the bottom. */
  footer?: ReactNode;
  /** The dialog cannot be dismissed with Esc or the backdrop (e.g. while a request runs). */
  dismissable?: boolean;
  size?: "sm" | "md" | "lg";
  className?: string;
}

/**
 * A modal on the native <dialog>: the page behind is inert, focus stays inside,
 * Esc and a click on the backdrop close it, and focus returns to the opener.
 */
export function Dialog({ open, onClose, title, description, children, footer, dismissable = true, size = "md", className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissable) onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current && dismissable) onClose();
      }}
      className={cx(
        "m-auto w-[calc(100%-2rem)] rounded-xl bg-white p-0 text-left text-zinc-900 shadow-2xl ring-1 ring-zinc-200 open:animate-fade-in",
        "dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-800",
        size === "sm" ? "max-w-sm" : size === "lg" ? "max-w-2xl" : "max-w-lg",
        className,
      )}
    >
      {open ? (
        <div className="p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {dismissable ? (
              <button
                type="button"
                onClick={onClose}
                aria-label="Close"
                className={cx("-m-1 rounded p-1 text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200", focusRing)}
              >
                <svg viewBox="0 0 20 20" className="size-5" aria-hidden fill="currentColor">
                  <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
                </svg>
              </button>
            ) : null}
          </div>
          {description ? (
            <div id={descriptionId} className="mt-1.5 text-sm text-zinc-600 dark:text-zinc-400">
              {description}
            </div>
          ) : null}
          {children ? <div className="mt-5">{children}</div> : null}
          {footer ? <div className="mt-6 flex flex-wrap justify-end gap-2">{footer}</div> : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** What ConfirmDialog needs from a react-query mutation: pass `mutation={useMutation(…)}`. */
export interface MutationState {
  isPending: boolean;
  error: { message: string } | null;
  reset(): void;
}

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  onConfirm: () => unknown;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel: string;
  /** Destructive actions get a red button. */
  danger?: boolean;
  /** When set, the user must type this text exactly before the button enables (deleting an org or project). */
  typedConfirmation?: string;
  /** The mutation the confirmation runs: its pending state and error are shown, and reset on close. */
  mutation?: MutationState;
  pending?: boolean;
  /** Error from the last attempt, shown inside the dialog. */
  error?: ReactNode;
}

/** "Are you sure?" with an optional typed-name check. */
export function ConfirmDialog({
  open,
  onClose,
  onConfirm,
  title,
  description,
  confirmLabel,
  danger,
  typedConfirmation,
  mutation,
  pending = mutation?.isPending,
  error = mutation?.error?.message,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState("");
  const matches = typedConfirmation === undefined || typed === typedConfirmation;

  function close() {
    setTyped("");
    mutation?.reset();
    onClose();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches || pending) return;
    void onConfirm();
  }

  return (
    <Dialog open={open} onClose={close} title={title} description={description} dismissable={!pending} size="sm">
      <form onSubmit={submit} className="space-y-4">
        {typedConfirmation !== undefined ? (
          <Field
            label={
              <>
                Type <span className="font-mono font-semibold">{typedConfirmation}</span> to confirm
              </>
            }
          >
            {(props) => (
              <Input
                {...props}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                autoFocus
              />
            )}
          </Field>
        ) : null}
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <DialogActions onCancel={close} pending={pending} submitLabel={confirmLabel} disabled={!matches} danger={danger} focusCancel={typedConfirmation === undefined} />
      </form>
    </Dialog>
  );
}

/** Cancel + submit row at the bottom of a dialog's form. */
export function DialogActions({
  onCancel,
  pending,
  submitLabel,
  disabled,
  danger,
  focusCancel,
}: {
  onCancel: () => void;
  pending?: boolean;
  submitLabel: string;
  disabled?: boolean;
  danger?: boolean;
  focusCancel?: boolean;
}) {
  return (
    <div className="flex flex-wrap justify-end gap-2 pt-2">
      <Button variant="secondary" onClick={onCancel} disabled={pending} autoFocus={focusCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={danger ? "danger" : "primary"} disabled={disabled} loading={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
