import type { Logger } from "../config/types";
import type { OutputStream } from "./cli-io";

/**
 * Every log line goes to stderr: in stdio mode stdout carries the MCP protocol and a stray line
 * there would corrupt the client's stream.
 */
export function stderrLogger(stderr: OutputStream, verbose: boolean): Logger {
  const write = (level: string, message: string) => void stderr.write(`tapline ${level}: ${message}\n`);
  return {
    info: (m) => write("info", m),
    warn: (m) => write("warn", m),
    error: (m) => write("error", m),
    debug: verbose ? (m) => write("debug", m) : () => {},
  };
}
