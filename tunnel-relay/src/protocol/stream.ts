import { EventEmitter } from "node:events";
import { FrameFlag, FrameType, jsonPayload, type ResetMessage, type ResponseHead } from "./frame";
import { encodeWindowIncrement } from "./encode";
import { TunnelError } from "./errors";
import type { MuxConfig } from "./config";

/** What a stream needs from its muxer; keeps stream.ts free of connection concerns. */
export interface StreamHost {
  sendFrame(type: FrameType, flags: number, streamId: number, payload: Uint8Array): void;
  /** Resolves once the shared transport has room; per-stream credit alone would let 1,000 streams queue 256 MiB. */
  waitForCapacity(): Promise<void>;
  streamClosed(streamId: number): void;
}

export interface MuxStreamEvents {
  headers: [ResponseHead];
  data: [Buffer];
  end: [];
  /** The remote reset the stream or the connection was lost. */
  reset: [TunnelError];
  close: [];
}

const EMPTY = new Uint8Array(0);

/** A half window drained faster than this means the sender is waiting on credit, not on the reader. */
const FAST_DRAIN_MS = 4;

/**
 * One bidirectional stream with HTTP/2-style credit in each direction.
 *
 * Sending: `write()` resolves when every byte went out within the peer's window, so a caller that
 * awaits it (e.g. `for await (const chunk of req) await stream.write(chunk)`) is paused exactly when
 * the peer stops granting credit.
 * Receiving: the stream grants credit only for bytes the owner reports with `consumed()`, typically
 * from the write callback of the socket the bytes were forwarded to. A slow reader therefore holds
 * back only its own stream.
 * Failures are announced as 'reset', not 'error': an unhandled 'error' would crash the process,
 * and nobody is obliged to watch every stream.
 */
export class MuxStream extends EventEmitter<MuxStreamEvents> {
  private sendWindow: number;
  private recvWindow: number;
  private unannouncedCredit = 0;
  /** Credit this side keeps granted: starts at initialWindow, doubles for fast readers. */
  private window: number;
  private lastGrantAt = 0;
  private creditWaiter: { resolve: () => void; reject: (error: TunnelError) => void } | undefined;
  private sendChain: Promise<void> = Promise.resolve();
  private localEnded = false;
  private remoteEnded = false;
  private failure: TunnelError | undefined;
  closed = false;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    private readonly config: MuxConfig,
  ) {
    super();
    this.sendWindow = config.initialWindow;
    this.recvWindow = config.initialWindow;
    this.window = config.initialWindow;
  }

  get error(): TunnelError | undefined {
    return this.failure;
  }

  sendHeaders(head: ResponseHead): Promise<void> {
    return this.enqueue(async () => this.host.sendFrame(FrameType.Headers, FrameFlag.None, this.id, jsonPayload(head)));
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.enqueue(() => this.sendData(chunk));
  }

  /** Half-close after everything written so far. Never rejects: ending a reset stream is a no-op. */
  end(): Promise<void> {
    return this.enqueue(async () => {
      if (this.localEnded) return;
      this.localEnded = true;
      this.host.sendFrame(FrameType.End, FrameFlag.None, this.id, EMPTY);
      this.closeIfDone();
    }).catch(() => {});
  }

  /** Abort both directions now, ahead of queued writes. */
  reset(code: string, message: string): void {
    if (this.closed) return;
    const payload: ResetMessage = { code, message };
    this.host.sendFrame(FrameType.Reset, FrameFlag.None, this.id, jsonPayload(payload));
    this.terminate(new TunnelError(code, message));
  }

  /**
   * Report received bytes that left our hands; grants the peer that much new credit (batched, per
   * half window). A reader that drained the last half window within FAST_DRAIN_MS is limited by
   * the credit round trip, not by itself, so its window doubles (up to maxWindow), as HTTP/2 and
   * QUIC stacks auto-tune theirs; a slow reader never grows past initialWindow.
   */
  consumed(bytes: number): void {
    if (this.closed || this.remoteEnded) return;
    this.unannouncedCredit += bytes;
    if (this.unannouncedCredit >= this.window / 2) {
      const now = performance.now();
      let increment = this.unannouncedCredit;
      if (this.window < this.config.maxWindow && now - this.lastGrantAt < FAST_DRAIN_MS) {
        const grown = Math.min(this.window * 2, this.config.maxWindow);
        increment += grown - this.window;
        this.window = grown;
      }
      this.lastGrantAt = now;
      this.recvWindow += increment;
      this.host.sendFrame(FrameType.Window, FrameFlag.None, this.id, encodeWindowIncrement(increment));
      this.unannouncedCredit = 0;
    }
  }

  // ---- called by the muxer ----

  handleHeaders(head: ResponseHead): void {
    if (!this.closed) this.emit("headers", head);
  }

  handleData(payload: Uint8Array): void {
    if (this.closed) return;
    if (this.remoteEnded) return this.failLocally("stream_closed", `DATA after END on stream ${this.id}`);
    if (payload.byteLength > this.recvWindow) {
      return this.failLocally("flow_control_error", `peer sent ${payload.byteLength} bytes with ${this.recvWindow} bytes of credit`);
    }
    this.recvWindow -= payload.byteLength;
    this.emit("data", Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
  }

  handleEnd(): void {
    if (this.closed || this.remoteEnded) return;
    this.remoteEnded = true;
    this.emit("end");
    this.closeIfDone();
  }

  handleWindow(increment: number): void {
    this.sendWindow += increment;
    const waiter = this.creditWaiter;
    this.creditWaiter = undefined;
    waiter?.resolve();
  }

  handleReset(error: TunnelError): void {
    if (this.closed) return;
    this.terminate(error);
    this.emit("reset", error);
  }

  /** The peer broke the stream's rules: reset it and tell our owner, as a remote reset would. */
  private failLocally(code: string, message: string): void {
    this.reset(code, message);
    this.emit("reset", new TunnelError(code, message));
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.sendChain.then(() => {
      if (this.failure) throw this.failure;
      return task();
    });
    // Keep the chain alive for ordering, but let each caller see its own failure.
    this.sendChain = next.catch(() => {});
    return next;
  }

  private async sendData(chunk: Uint8Array): Promise<void> {
    if (this.localEnded) throw new TunnelError("stream_closed", `write after end on stream ${this.id}`);
    let offset = 0;
    while (offset < chunk.byteLength) {
      while (this.sendWindow <= 0) await this.waitForCredit();
      await this.host.waitForCapacity();
      if (this.failure) throw this.failure;
      const size = Math.min(this.sendWindow, this.config.maxDataPayload, chunk.byteLength - offset);
      this.sendWindow -= size;
      this.host.sendFrame(FrameType.Data, FrameFlag.None, this.id, chunk.subarray(offset, offset + size));
      offset += size;
    }
  }

  private waitForCredit(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.creditWaiter = { resolve, reject };
    });
  }

  private closeIfDone(): void {
    if (this.localEnded && this.remoteEnded) this.terminate(undefined);
  }

  private terminate(error: TunnelError | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (error) this.failure = error;
    const waiter = this.creditWaiter;
    this.creditWaiter = undefined;
    waiter?.reject(error ?? new TunnelError("stream_closed", `stream ${this.id} closed`));
    this.host.streamClosed(this.id);
    this.emit("close");
  }
}
