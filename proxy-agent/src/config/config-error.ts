/**
 * A problem with what the user asked for (flags, environment, config file).
 * The CLI prints `message` on one line followed by usage and exits 2.
 */
export type ConfigErrorCode =
  | "bad_flag"
  | "bad_value"
  | "missing_upstream"
  | "conflicting_upstream"
  | "config_file_unreadable"
  | "config_file_invalid"
  | "config_server_unknown";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
  ) {
    super(message);
  }
}
