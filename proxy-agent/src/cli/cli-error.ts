import { ConfigError } from "../config/config-error";
import { StoreError } from "../record/store-database";
import { EXIT } from "./exit-codes";

/** An error the CLI reports as-is: a code for scripts, a message for people, and the exit code it maps to. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError("usage", message, EXIT.usage);
}

export interface ErrorReport {
  code: string;
  message: string;
  exitCode: number;
  /** Usage errors are followed by the command's usage line. */
  showUsage: boolean;
}

/** Maps anything thrown by a command to what the user sees and the exit code. */
export function classifyError(e: unknown): ErrorReport {
  if (e instanceof CliError) return { code: e.code, message: e.message, exitCode: e.exitCode, showUsage: e.exitCode === EXIT.usage };
  if (e instanceof ConfigError) return { code: e.code, message: e.message, exitCode: EXIT.usage, showUsage: true };
  if (e instanceof StoreError) {
    return { code: e.code, message: e.message, exitCode: e.code === "db_missing" ? EXIT.noDatabase : EXIT.failure, showUsage: false };
  }
  const code = (e as { code?: unknown } | null)?.code;
  // node:util parseArgs reports unknown flags and missing values with ERR_PARSE_ARGS_* codes.
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    return { code: "usage", message: (e as Error).message.split("\n")[0]!, exitCode: EXIT.usage, showUsage: true };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: typeof code === "string" ? code : "internal", message, exitCode: EXIT.failure, showUsage: false };
}
