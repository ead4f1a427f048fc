import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Remembers the random name a relay gave us, per relay and local target, so an unnamed
 * `tapline tunnel` gets the same URL on its next start. Holds names only, never keys.
 */
export function defaultStateFile(): string {
  return join(homedir(), ".tapline", "tunnels.json");
}

type TunnelState = Record<string, { name: string; updatedAt: string }>;

export function stateKey(relayUrl: string, target: URL): string {
  return `${new URL(relayUrl).origin} -> ${target.origin}${target.pathname}`;
}

function readState(file: string): TunnelState {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as unknown;
    return value && typeof value === "object" ? (value as TunnelState) : {};
  } catch {
    // Missing or corrupt: start afresh rather than refuse to run.
    return {};
  }
}

export function rememberedName(file: string, key: string): string | undefined {
  return readState(file)[key]?.name;
}

export function rememberName(file: string, key: string, name: string): void {
  const state = readState(file);
  state[key] = { name, updatedAt: new Date().toISOString() };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  renameSync(temporary, file);
}

export function forgetName(file: string, key: string): void {
  const state = readState(file);
  if (!(key in state)) return;
  delete state[key];
  writeFileSync(file, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
}
