"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx, focusRing } from "./cx";
import { CheckIcon } from "./icons";

export type MenuItem =
  | { kind: "link"; href: string; label: ReactNode; description?: ReactNode; current?: boolean; icon?: ReactNode }
  | { kind: "action"; onSelect: () => void; label: ReactNode; danger?: boolean; icon?: ReactNode }
  | { kind: "separator" }
  | { kind: "heading"; label: ReactNode };

export interface MenuProps {
  /** Content of the trigger button. */
  trigger: ReactNode;
  /** Accessible name of the trigger when its content is not enough. */
  label?: string;
  items: MenuItem[];
  align?: "start" | "end";
  triggerClassName?: string;
  /** Fixed content at the top of the panel (e.g. the signed-in user). */
  header?: ReactNode;
}

/**
 * A dropdown menu: Enter/Space/ArrowDown opens it, arrows move between items, Home/End jump,
 * Esc closes and returns focus to the trigger, a click outside closes it.
 */
export function Menu({ trigger, label, items, align = "start", triggerClassName, header }: MenuProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    return () => document.removeEventListener("pointerdown", onDown);
  }, [open]);

  useEffect(() => {
    if (open) focusItem(0);
  }, [open]);

  function itemsEls(): HTMLElement[] {
    return Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  }

  function focusItem(index: number) {
    const els = itemsEls();
    if (!els.length) return;
    els[(index + els.length) % els.length]!.focus();
  }

  function close(returnFocus = true) {
    setOpen(false);
    if (returnFocus) triggerRef.current?.focus();
  }

  function onMenuKey(e: KeyboardEvent) {
    const els = itemsEls();
    const i = els.indexOf(document.activeElement as HTMLElement);
    if (e.key === "ArrowDown") focusItem(i + 1);
    else if (e.key === "ArrowUp") focusItem(i - 1);
    else if (e.key === "Home") focusItem(0);
    else if (e.key === "End") focusItem(els.length - 1);
    else if (e.key === "Escape") close();
    else if (e.key === "Tab") setOpen(false);
    else return;
    e.preventDefault();
  }

  const itemClass = (danger?: boolean, current?: boolean) =>
    cx(
      "flex w-full items-center gap-2.5 rounded-md px-2.5 py-2 text-left text-sm outline-none",
      "focus:bg-zinc-100 hover:bg-zinc-100 dark:focus:bg-zinc-800 dark:hover:bg-zinc-800",
      danger ? "text-red-600 dark:text-red-400" : "text-zinc-800 dark:text-zinc-200",
      current && "font-medium",
    );

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={triggerRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={label}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        className={cx(
          "inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-zinc-800 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800",
          focusRing,
          triggerClassName,
        )}
      >
        {trigger}
      </button>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          onKeyDown={onMenuKey}
          className={cx(
            "absolute z-40 mt-1 max-h-[70vh] w-72 overflow-y-auto rounded-lg bg-white p-1 shadow-lg ring-1 ring-zinc-200 animate-fade-in",
            "dark:bg-zinc-900 dark:ring-zinc-700",
            align === "end" ? "right-0" : "left-0",
          )}
        >
          {header ? <div className="border-b border-zinc-100 px-2.5 pt-1.5 pb-2.5 mb-1 dark:border-zinc-800">{header}</div> : null}
          {items.map((item, i) => {
            switch (item.kind) {
              case "separator":
                return <div key={i} role="separator" className="my-1 h-px bg-zinc-100 dark:bg-zinc-800" />;
              case "heading":
                return (
                  <div key={i} className="px-2.5 pt-2 pb-1 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                    {item.label}
                  </div>
                );
              case "link":
                return (
                  <Link
                    key={i}
                    href={item.href}
                    role="menuitem"
                    tabIndex={-1}
                    aria-current={item.current ? "page" : undefined}
                    onClick={() => close(false)}
                    className={itemClass(false, item.current)}
                  >
                    {item.icon}
                    <span className="min-w-0 flex-1">
                      <span className="block truncate">{item.label}</span>
                      {item.description ? <span className="block truncate text-xs font-normal text-zinc-500 dark:text-zinc-400">{item.description}</span> : null}
                    </span>
                    {item.current ? (
                      <CheckIcon className="text-accent-600 dark:text-accent-400" />
                    ) : null}
                  </Link>
                );
              case "action":
                return (
                  <button
                    key={i}
                    type="button"
                    role="menuitem"
                    tabIndex={-1}
                    onClick={() => {
                      close();
                      item.onSelect();
                    }}
                    className={itemClass(item.danger)}
                  >
                    {item.icon}
                    {item.label}
                  </button>
                );
            }
          })}
        </div>
      ) : null}
    </div>
  );
}
