import type { CliIo } from "./cli-io";
import type { ProxyRuntime, RunningProxy } from "../config/types";

/** One flag: what `node:util` parseArgs needs plus what `--help` prints. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  description: string;
  /** Shown after the flag in help: `--since <duration>`. */
  valueName?: string;
  /** Aliases and env-only twins are accepted but kept out of help to keep it short. */
  hidden?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export type OptionValues = Record<string, string | boolean | undefined>;

/** What a command file exports (the shape of wrangler's `createCommand({ metadata, args, handler })`). */
export interface CommandDefinition {
  metadata: {
    name: string;
    summary: string;
    /** Arguments after the command name, e.g. `[options] <session-id>`. */
    usage: string;
    description?: string;
    examples?: readonly string[];
    /** Listed in help after the analytics section (proxy modes first). */
    group: "proxy" | "analytics" | "setup";
    hidden?: boolean;
  };
  options: OptionSpecs;
  allowPositionals?: boolean;
  handler(context: CommandContext): Promise<number>;
}

export type RunProxy = (runtime: ProxyRuntime) => Promise<RunningProxy>;

/** What commands may need beyond I/O; tests replace the proxy core with a fake. */
export interface CliDeps {
  loadRunProxy(): Promise<RunProxy>;
}

export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  io: CliIo;
  deps: CliDeps;
  verbose: boolean;
}

export function createCommand(definition: CommandDefinition): CommandDefinition {
  return definition;
}
