import type { Logger } from "../../config/types";

/** A Logger that keeps lines for assertions and prints them only with TAPLINE_TEST_LOG=1. */
export class TestLogger implements Logger {
  readonly lines: string[] = [];
  private readonly echo = process.env.TAPLINE_TEST_LOG === "1";

  info(message: string): void {
    this.add("info", message);
  }
  warn(message: string): void {
    this.add("warn", message);
  }
  error(message: string): void {
    this.add("error", message);
  }
  debug(message: string): void {
    this.add("debug", message);
  }

  private add(level: string, message: string): void {
    this.lines.push(`${level}: ${message}`);
    if (this.echo) process.stderr.write(`[tapline ${level}] ${message}\n`);
  }
}
