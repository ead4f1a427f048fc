"use client";

import { useId } from "react";
import { Field, Input } from "@/app/_components/input";

const SUGGESTIONS = ["production", "staging", "development"];

/** The project's environment label, with common values suggested (the API accepts letters, digits, - and _). */
export function EnvironmentField({ value, onChange, disabled, error }: { value: string; onChange: (value: string) => void; disabled?: boolean; error?: string }) {
  const listId = useId();
  return (
    <Field label="Environment" hint="Tells deployments of the same server apart: letters, digits, - and _ (production, staging, dev-eu)." error={error}>
      {(p) => (
        <>
          <Input
            {...p}
            name="environment"
            list={listId}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            required
            maxLength={32}
            pattern="[A-Za-z0-9][A-Za-z0-9_\-]*"
            title="Letters, digits, - and _"
            disabled={disabled}
          />
          <datalist id={listId}>
            {SUGGESTIONS.map((env) => (
              <option key={env} value={env} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
