"use client";
/**
 * A table whose columns sort on click (aria-sort on the header), and whose rows are links: the
 * first cell holds the link (keyboard reachable, Tab + Enter) and its hit area covers the row.
 * Cells arrive pre-rendered from the server with a sortable value each.
 */
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { cx, focusRing } from "@/app/_components/cx";

export interface Column {
  key: string;
  label: string;
  align?: "left" | "right";
  /** Default true. */
  sortable?: boolean;
  className?: string;
}

export interface Cell {
  /** What sorting compares; null sorts last. */
  value: string | number | null;
  display: ReactNode;
}

export interface Row {
  id: string;
  href?: string;
  cells: Record<string, Cell>;
}

export interface SortableTableProps {
  columns: Column[];
  rows: Row[];
  caption: string;
  defaultSort?: { key: string; dir: "asc" | "desc" };
}

export function SortableTable({ columns, rows, caption, defaultSort }: SortableTableProps) {
  const [sort, setSort] = useState(defaultSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const dir = sort.dir === "asc" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = a.cells[sort.key]?.value ?? null;
      const y = b.cells[sort.key]?.value ?? null;
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * dir;
    });
  }, [rows, sort]);

  function toggle(key: string) {
    setSort((s) => (s?.key === key ? { key, dir: s.dir === "desc" ? "asc" : "desc" } : { key, dir: key === columns[0]?.key ? "asc" : "desc" }));
  }

  return (
    <Table caption={caption}>
      <THead>
        {columns.map((c) => {
          const active = sort?.key === c.key;
          const ariaSort = active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined;
          return (
            <Th key={c.key} aria-sort={ariaSort} className={cx("whitespace-nowrap", c.align === "right" && "text-right", c.className)}>
              {c.sortable === false ? (
                c.label
              ) : (
                <button
                  type="button"
                  onClick={() => toggle(c.key)}
                  className={cx("inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100", c.align === "right" && "flex-row-reverse", focusRing, "rounded-sm")}
                >
                  {c.label}
                  <span aria-hidden className={cx("text-[10px]", active ? "opacity-100" : "opacity-30")}>
                    {active && sort.dir === "asc" ? "▲" : "▼"}
                  </span>
                </button>
              )}
            </Th>
          );
        })}
      </THead>
      <TBody>
        {sorted.map((r) => (
          <tr key={r.id} className={cx("relative", r.href && "hover:bg-zinc-50 dark:hover:bg-zinc-800/50")}>
            {columns.map((c, i) => {
              const cell = r.cells[c.key];
              return (
                <Td key={c.key} className={cx(c.align === "right" && "text-right tabular-nums", i > 0 && "whitespace-nowrap", c.className)}>
                  {i === 0 && r.href ? (
                    <Link
                      href={r.href}
                      className={cx(
                        "font-medium text-zinc-900 hover:text-accent-700 dark:text-zinc-100 dark:hover:text-accent-300",
                        "after:absolute after:inset-0 after:content-['']",
                        focusRing,
                        "rounded-sm",
                      )}
                    >
                      {cell?.display}
                    </Link>
                  ) : (
                    cell?.display
                  )}
                </Td>
              );
            })}
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
