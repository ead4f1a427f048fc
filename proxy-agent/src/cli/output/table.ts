import { visibleLength, type Style } from "./style";

export interface Column {
  header: string;
  /** Numbers align right so their digits line up. */
  align?: "left" | "right";
}

/** An aligned text table: bold header, two spaces between columns, no borders (easy to read and to grep). */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], style: Style): string {
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: readonly string[], decorate: (s: string) => string = (s) => s) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(widths[i]! - visibleLength(cell));
        return columns[i]!.align === "right" ? pad + cell : cell + pad;
      })
      .map(decorate)
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header), style.bold), ...rows.map((r) => line(r))].join("\n") + "\n";
}

/** A section title above a table. */
export function heading(title: string, style: Style): string {
  return `\n${style.bold(title)}\n`;
}
