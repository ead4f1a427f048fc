import type { Readable, Writable } from "node:stream";
import type { ProxyRuntime, RunningProxy } from "../config/types";
import type { CallTap } from "../mcp/call-tap";
import { LineSplitter } from "../mcp/line-splitter";
import { uuidv7 } from "../util/uuidv7";
import { jsonRpcErrorBody, PROXY_ERROR } from "./jsonrpc-error-body";
import { describeExit, spawnStdioServer, stopStdioServer, type StdioUpstream } from "./stdio-child";

export interface StdioStreams {
  input: Readable;
  output: Writable;
}

/**
 * stdio in, stdio out: the proxy is what the MCP host spawns (drop-in for a Claude Desktop
 * `mcpServers` entry); it spawns the real server and pipes bytes both ways as they come, the tap
 * reading copies of the lines. If the server cannot start or has exited, each request gets a
 * JSON-RPC error response so the host sees why instead of hanging.
 */
export async function startStdioBridge(
  runtime: ProxyRuntime,
  tap: CallTap,
  upstream: StdioUpstream,
  streams: StdioStreams = { input: process.stdin, output: process.stdout },
): Promise<RunningProxy> {
  const { input, output } = streams;
  const maxLine = runtime.config.maxTapBytes;
  const session = tap.session(uuidv7());
  const child = spawnStdioServer(upstream);
  let upstreamDown: string | null = null;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  /** Answers every request the server will never answer now. */
  const answerUnanswered = () => {
    // Input may be paused waiting for a drain of the dead child's stdin that will never come.
    input.resume();
    for (const rpcId of tap.endSession(session, upstreamDown!)) {
      output.write(jsonRpcErrorBody(rpcId, PROXY_ERROR.upstreamUnavailable, `tapline: ${upstreamDown}`) + "\n");
    }
  };

  const clientLines = new LineSplitter((line) => {
    tap.observe("client", session, line, null);
    if (upstreamDown !== null) answerUnanswered();
  }, maxLine);
  const serverLines = new LineSplitter((line) => tap.observe("server", session, line, null), maxLine);

  input.on("data", (chunk: Buffer) => {
    if (upstreamDown === null && !child.stdin!.write(chunk)) input.pause();
    clientLines.push(chunk);
  });
  child.stdin!.on("drain", () => input.resume());
  // EPIPE when the child died between our check and the write; the exit handler reports it.
  child.stdin!.on("error", () => {});
  // The host closed our stdin: the server gets EOF, then SIGTERM/SIGKILL if it lingers; its exit resolves `done`.
  input.on("end", () => {
    if (upstreamDown === null) void stopStdioServer(child);
    else resolveDone(1);
  });
  // The host stopped reading our stdout (EPIPE): nobody is left to answer to.
  output.on("error", (err: Error) => {
    runtime.log.warn(`client output closed (${err.message}); stopping the server`);
    input.pause();
    void stopStdioServer(child);
  });

  child.stdout!.on("data", (chunk: Buffer) => {
    if (!output.write(chunk)) child.stdout!.pause();
    serverLines.push(chunk);
  });
  output.on("drain", () => child.stdout!.resume());

  child.once("error", (err: NodeJS.ErrnoException) => {
    upstreamDown = `cannot start upstream server "${upstream.command}": ${err.code ?? err.message}`;
    runtime.log.error(upstreamDown);
    answerUnanswered();
  });
  child.once("exit", (code, signal) => {
    if (upstreamDown !== null) return;
    upstreamDown = `upstream server process exited (${describeExit(code, signal)})`;
    runtime.log.info(upstreamDown);
    answerUnanswered();
    resolveDone(code ?? 1);
  });

  return {
    done,
    async close() {
      input.pause();
      await stopStdioServer(child);
      resolveDone(0);
    },
  };
}
