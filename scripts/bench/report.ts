import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";

const FILE = join(process.cwd(), "docs", "BENCHMARKS.md");
const HEADER = `# Benchmarks

Each section is written by its benchmark script (\`npm run bench:*\`), which runs Tapline and its
baseline side by side in one run on this machine. Absolute numbers depend on the machine; compare
within a section. Benchmarks are not part of the test suite.
`;

/** Replaces (or appends) the `## title` section of docs/BENCHMARKS.md. */
export function writeBenchmarkSection(title: string, body: string): void {
  const text = existsSync(FILE) ? readFileSync(FILE, "utf8") : HEADER;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  let next: string;
  if (start === -1) {
    next = `${text.trimEnd()}\n\n${section}`;
  } else {
    const rest = text.slice(start + heading.length);
    const end = rest.search(/\n## /);
    next = text.slice(0, start) + section + (end === -1 ? "" : rest.slice(end + 1).replace(/^/, "\n"));
  }
  writeFileSync(FILE, `${next.trimEnd()}\n`);
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const idx = (sorted.length - 1) * p;
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (idx - lo);
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}
