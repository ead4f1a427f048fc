/** Where the CLI reads and writes: the real process in `main.ts`, captured buffers in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM: a running proxy shuts down gracefully and flushes its records. */
  signal?: AbortSignal;
  now?: () => number;
}
