import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { parseDuration } from "./duration";

/** Where records are stored and how long they are kept. */
export interface StoreOptions {
  dbPath: string;
  /** Records older than this are pruned; 0 keeps everything. */
  retentionMs: number;
}

export const DEFAULT_RETENTION = "30d";

export function defaultDbPath(env: NodeJS.ProcessEnv): string {
  return join(env.HOME || homedir(), ".tapline", "tapline.db");
}

/** `--db` beats `TAPLINE_DB` beats `~/.tapline/tapline.db`; relative paths are taken from `cwd`. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const chosen = flag ?? (env.TAPLINE_DB || undefined);
  if (chosen === undefined) return defaultDbPath(env);
  return expandPath(chosen, env, cwd);
}

export function resolveRetention(text: string | undefined): number {
  const value = text ?? DEFAULT_RETENTION;
  if (/^(0|off|forever|never)$/i.test(value.trim())) return 0;
  return parseDuration(value, "--retention");
}

/** `~/x` and relative paths → absolute. */
export function expandPath(path: string, env: NodeJS.ProcessEnv, cwd: string): string {
  if (path === "~" || path.startsWith("~/")) return join(env.HOME || homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(cwd, path);
}
