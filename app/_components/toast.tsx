"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { cx, focusRing } from "./cx";

export type ToastTone = "success" | "error" | "info";

interface ToastItem {
  id: number;
  tone: ToastTone;
  message: ReactNode;
}

interface ToastApi {
  show(message: ReactNode, tone?: ToastTone): void;
  success(message: ReactNode): void;
  error(message: ReactNode): void;
}

const ToastContext = createContext<ToastApi | null>(null);

let nextId = 1;

/** Short notices in the corner after an action ("Project created"), announced politely; errors assertively. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);

  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);

  const show = useCallback(
    (message: ReactNode, tone: ToastTone = "info") => {
      const id = nextId++;
      setItems((all) => [...all.slice(-3), { id, tone, message }]);
      setTimeout(() => dismiss(id), tone === "error" ? 8000 : 4000);
    },
    [dismiss],
  );

  const api = useMemo<ToastApi>(
    () => ({ show, success: (m) => show(m, "success"), error: (m) => show(m, "error") }),
    [show],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end">
        <div aria-live="polite" className="contents">
          {items.filter((t) => t.tone !== "error").map((t) => (
            <ToastCard key={t.id} item={t} onDismiss={dismiss} />
          ))}
        </div>
        <div aria-live="assertive" className="contents">
          {items.filter((t) => t.tone === "error").map((t) => (
            <ToastCard key={t.id} item={t} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function ToastCard({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  return (
    <div
      role={item.tone === "error" ? "alert" : "status"}
      className={cx(
        "pointer-events-auto flex w-full max-w-sm animate-toast-in items-start gap-3 rounded-lg px-4 py-3 text-sm shadow-lg ring-1",
        "bg-white text-zinc-900 ring-zinc-200 dark:bg-zinc-900 dark:text-zinc-100 dark:ring-zinc-700",
      )}
    >
      <span
        aria-hidden
        className={cx(
          "mt-1 size-2 shrink-0 rounded-full",
          item.tone === "success" ? "bg-emerald-500" : item.tone === "error" ? "bg-red-500" : "bg-accent-500",
        )}
      />
      <div className="flex-1">{item.message}</div>
      <button
        type="button"
        aria-label="Dismiss"
        onClick={() => onDismiss(item.id)}
        className={cx("rounded text-zinc-400 hover:text-zinc-700 dark:hover:text-zinc-200", focusRing)}
      >
        ×
      </button>
    </div>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast needs <ToastProvider> (app/layout.tsx)");
  return api;
}
