"use client";

import { useEffect, useState } from "react";
import { cx, focusRing } from "./cx";
import { THEME_STORAGE_KEY as STORAGE_KEY } from "./theme-script";

const CHANGE_EVENT = "tapline-theme-change";

export type ThemeChoice = "system" | "light" | "dark";

function readChoice(): ThemeChoice {
  try {
    const c = localStorage.getItem(STORAGE_KEY);
    return c === "light" || c === "dark" ? c : "system";
  } catch {
    return "system";
  }
}

function apply(choice: ThemeChoice) {
  const dark = choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

const options: { value: ThemeChoice; label: string; icon: React.ReactNode }[] = [
  {
    value: "light",
    label: "Light",
    icon: (
      <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
        <circle cx="10" cy="10" r="3.5" />
        <path strokeLinecap="round" d="M10 2v1.5M10 16.5V18M2 10h1.5M16.5 10H18M4.3 4.3l1.1 1.1M14.6 14.6l1.1 1.1M4.3 15.7l1.1-1.1M14.6 5.4l1.1-1.1" />
      </svg>
    ),
  },
  {
    value: "system",
    label: "System",
    icon: (
      <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
        <rect x="2.5" y="3.5" width="15" height="10" rx="1.5" />
        <path strokeLinecap="round" d="M7 17h6M10 13.5V17" />
      </svg>
    ),
  },
  {
    value: "dark",
    label: "Dark",
    icon: (
      <svg viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden>
        <path strokeLinejoin="round" d="M16.5 12.5A7 7 0 0 1 7.5 3.5a7 7 0 1 0 9 9Z" />
      </svg>
    ),
  },
];

/** Light / system / dark, as a radio group; the choice persists in localStorage. */
export function ThemeToggle({ className }: { className?: string }) {
  const [choice, setChoice] = useState<ThemeChoice>("system");

  useEffect(() => {
    // Sync with what the head script applied (localStorage is only readable in the browser),
    // and with other toggles on the page.
    setChoice(readChoice());
    const onOther = () => setChoice(readChoice());
    window.addEventListener(CHANGE_EVENT, onOther);
    return () => window.removeEventListener(CHANGE_EVENT, onOther);
  }, []);

  useEffect(() => {
    if (choice !== "system") return;
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, [choice]);

  function pick(next: ThemeChoice) {
    setChoice(next);
    try {
      if (next === "system") localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
    apply(next);
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }

  return (
    <div role="radiogroup" aria-label="Theme" className={cx("inline-flex rounded-md bg-zinc-100 p-0.5 dark:bg-zinc-800", className)}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={choice === o.value}
          aria-label={o.label}
          title={o.label}
          onClick={() => pick(o.value)}
          className={cx(
            "inline-flex h-7 w-8 items-center justify-center rounded text-zinc-500 transition-colors hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
            choice === o.value && "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-100",
            focusRing,
          )}
        >
          {o.icon}
        </button>
      ))}
    </div>
  );
}
