export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured log sink; fields must never contain API keys. */
export type RelayLogger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export const silentLogger: RelayLogger = () => {};

export function consoleLogger(minimum: LogLevel = "info"): RelayLogger {
  const order: LogLevel[] = ["debug", "info", "warn", "error"];
  return (level, message, fields) => {
    if (order.indexOf(level) < order.indexOf(minimum)) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
    (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
  };
}
