import type { Readable, Writable } from "node:stream";
import type { MuxStream } from "./stream";

export type PumpOutcome = { kind: "ended"; bytes: number } | { kind: "too_large"; bytes: number } | { kind: "failed"; error: Error };

/**
 * Send a readable's bytes down a stream, pausing the source while the stream lacks credit.
 * Uses pause/resume rather than `for await` because breaking out of an async iterator destroys
 * the source, and an over-limit request must stay alive long enough to be answered with 413.
 */
export function pumpIntoStream(source: Readable, stream: MuxStream, maxBytes = Infinity): Promise<PumpOutcome> {
  return new Promise((resolve) => {
    let bytes = 0;
    let settled = false;
    const settle = (outcome: PumpOutcome) => {
      if (settled) return;
      settled = true;
      source.off("data", onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        source.pause();
        return settle({ kind: "too_large", bytes });
      }
      source.pause();
      stream.write(chunk).then(
        () => source.resume(),
        (error: Error) => settle({ kind: "failed", error }),
      );
    };
    source.on("data", onData);
    source.once("end", () => void stream.end().then(() => settle({ kind: "ended", bytes })));
    source.once("error", (error) => settle({ kind: "failed", error }));
    source.once("close", () => {
      if (!source.readableEnded) settle({ kind: "failed", error: new Error("source closed before its end") });
    });
    stream.once("close", () => {
      if (stream.error) settle({ kind: "failed", error: stream.error });
    });
  });
}

const corked = new WeakSet<Writable>();

/**
 * Hold a sink's writes until the end of this tick, so that what one tunnel message carries for it
 * (a response head, its body and its end; or several DATA frames) leaves in one writev instead of
 * one syscall each. Syscalls were the largest cost per small request. Nothing waits longer than
 * the current tick, so SSE events are not delayed.
 */
export function corkForThisTick(sink: Writable): void {
  if (corked.has(sink)) return;
  corked.add(sink);
  sink.cork();
  process.nextTick(() => {
    corked.delete(sink);
    sink.uncork();
  });
}

/**
 * Write a stream's incoming bytes to a sink. Credit goes back to the peer only when the sink has
 * flushed the bytes, so a slow sink slows exactly this stream's sender and nothing else.
 */
export function drainStreamInto(stream: MuxStream, sink: Writable, options: { end?: boolean } = {}): void {
  stream.on("data", (chunk) => {
    if (sink.destroyed) return;
    corkForThisTick(sink);
    sink.write(chunk, (error) => {
      if (!error) stream.consumed(chunk.length);
    });
  });
  stream.once("end", () => {
    if (options.end !== false && !sink.destroyed) sink.end();
  });
}
