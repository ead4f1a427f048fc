"use client";
import { useActionState, useId, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import {
  emailLinkSignInAction,
  passwordSignInAction,
  requestResetAction,
  resetPasswordAction,
  signUpAction,
  type FormState,
} from "../actions";
import { Alert, inputClass, linkClass, primaryButtonClass, secondaryButtonClass } from "./ui";

function SubmitButton({ children, pendingLabel, variant = "primary" }: { children: string; pendingLabel: string; variant?: "primary" | "secondary" }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} aria-busy={pending} className={variant === "primary" ? primaryButtonClass : secondaryButtonClass}>
      {pending ? (
        <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
      ) : null}
      {pending ? pendingLabel : children}
    </button>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  defaultValue?: string;
  state: FormState | null;
  hint?: string;
  autoFocus?: boolean;
  minLength?: number;
  trailing?: ReactNode;
  readOnly?: boolean;
}

function Field({ name, label, type = "text", autoComplete, defaultValue, state, hint, autoFocus, minLength, trailing, readOnly }: FieldProps) {
  const id = useId();
  const invalid = state?.field === name;
  const describedBy = [hint ? `${id}-hint` : null, invalid ? "form-error" : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {trailing}
      </div>
      <input
        id={id}
        name={name}
        type={type}
        required
        autoComplete={autoComplete}
        defaultValue={state?.values?.[name] ?? defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoFocus={autoFocus || invalid}
        minLength={minLength}
        readOnly={readOnly}
        className={inputClass}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function FormError({ state }: { state: FormState | null }) {
  if (state?.error) return <Alert id="form-error">{state.error}</Alert>;
  if (state?.notice) return <Alert tone="success">{state.notice}</Alert>;
  return null;
}

export function PasswordSignInForm({ callbackUrl, email, error, canReset }: { callbackUrl: string; email?: string; error?: string | null; canReset: boolean }) {
  const [state, action] = useActionState(passwordSignInAction, error ? { error } : null);
  return (
    <form action={action} className="space-y-4" noValidate={false}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormError state={state} />
      <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={email} state={state} autoFocus={!email} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        state={state}
        autoFocus={Boolean(email)}
        trailing={
          canReset ? (
            <a href="/reset" className={`text-xs ${linkClass}`}>
              Forgot password?
            </a>
          ) : null
        }
      />
      <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
    </form>
  );
}

export function EmailLinkForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(emailLinkSignInAction, null);
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormError state={state} />
      <Field name="email" label="Email me a sign-in link" type="email" autoComplete="email" state={state} />
      <SubmitButton variant="secondary" pendingLabel="Sending…">
        Send sign-in link
      </SubmitButton>
    </form>
  );
}

export function SignUpForm({ callbackUrl, email, inviteToken }: { callbackUrl: string; email?: string; inviteToken?: string }) {
  const [state, action] = useActionState(signUpAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {inviteToken ? <input type="hidden" name="inviteToken" value={inviteToken} /> : null}
      <FormError state={state} />
      <Field name="name" label="Name" autoComplete="name" state={state} autoFocus />
      <Field name="email" label="Email" type="email" autoComplete="email" defaultValue={email} state={state} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" minLength={10} hint="At least 10 characters." state={state} />
      <SubmitButton pendingLabel="Creating your account…">Create account</SubmitButton>
    </form>
  );
}

export function RequestResetForm() {
  const [state, action] = useActionState(requestResetAction, null);
  if (state?.notice) return <Alert tone="success">{state.notice}</Alert>;
  return (
    <form action={action} className="space-y-4">
      <FormError state={state} />
      <Field name="email" label="Email" type="email" autoComplete="email" state={state} autoFocus />
      <SubmitButton pendingLabel="Sending…">Email me a reset link</SubmitButton>
    </form>
  );
}

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, action] = useActionState(resetPasswordAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <FormError state={state} />
      <Field name="password" label="New password" type="password" autoComplete="new-password" minLength={10} hint="At least 10 characters." state={state} autoFocus />
      <Field name="confirm" label="Repeat the new password" type="password" autoComplete="new-password" minLength={10} state={state} />
      <SubmitButton pendingLabel="Saving…">Set new password and sign in</SubmitButton>
    </form>
  );
}
