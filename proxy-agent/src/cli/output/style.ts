import type { OutputStream } from "../cli-io";

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURED: Style = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), cyan: ansi(36, 39) };
const identity = (text: string) => text;
const PLAIN: Style = { bold: identity, dim: identity, red: identity, yellow: identity, green: identity, cyan: identity };

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org) or TERM=dumb; FORCE_COLOR forces it. */
export function styleFor(stream: OutputStream, env: NodeJS.ProcessEnv): Style {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return COLOURED;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return PLAIN;
  if (env.TERM === "dumb") return PLAIN;
  return stream.isTTY ? COLOURED : PLAIN;
}

const ANSI_PATTERN = /\u001b\[\d+m/g;

/** Printed width, ignoring colour codes. */
export function visibleLength(text: string): number {
  return text.replace(ANSI_PATTERN, "").length;
}
